// picomatch ships no types: the parts this package uses.
declare module 'picomatch' {
	interface PicomatchOptions {
		/** Let wildcards match names that start with a dot. */
		dot?: boolean;
		/** Treat "\" as a path separator (picomatch guesses from the platform when unset). */
		windows?: boolean;
	}
	function picomatch(glob: string, options?: PicomatchOptions): (input: string) => boolean;
	export = picomatch;
}
