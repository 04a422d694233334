// proxy-from-env ships no types: the one function this package uses.
declare module 'proxy-from-env' {
	/** The proxy URL for `url` from HTTP_PROXY / HTTPS_PROXY / ALL_PROXY, '' when none or when NO_PROXY exempts it. */
	export function getProxyForUrl(url: string): string;
}
