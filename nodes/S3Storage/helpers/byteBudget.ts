/**
 * A bound on the bytes the items in flight of one execution hold in memory at once. An item asks
 * for its bytes before it reads its body and gives them back when done; it waits, in turn, while
 * they do not fit. One item larger than the whole budget runs alone rather than never.
 */
export class ByteBudget {
	private held = 0;
	private readonly waiting: Array<{ bytes: number; admit: () => void }> = [];

	constructor(readonly capacity: number) {}

	/** Waits until `bytes` fit; returns the function that gives them back (once). */
	async acquire(bytes: number): Promise<() => void> {
		if (this.waiting.length === 0 && this.fits(bytes)) {
			this.held += bytes;
		} else {
			await new Promise<void>((admit) => this.waiting.push({ bytes, admit }));
		}
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.held -= bytes;
			this.admitWaiting();
		};
	}

	/** Bytes held right now (for tests). */
	get inUse(): number {
		return this.held;
	}

	private fits(bytes: number): boolean {
		return this.held === 0 || this.held + bytes <= this.capacity;
	}

	private admitWaiting(): void {
		while (this.waiting.length > 0 && this.fits(this.waiting[0].bytes)) {
			const next = this.waiting.shift()!;
			this.held += next.bytes;
			next.admit();
		}
	}
}

const budgets = new WeakMap<object, ByteBudget>();

/** The budget of one execution (n8n gives each run its own context object), made with `capacity` on first use. */
export function byteBudgetOf(execution: object, capacity: number): ByteBudget {
	let budget = budgets.get(execution);
	if (!budget) {
		budget = new ByteBudget(capacity);
		budgets.set(execution, budget);
	}
	return budget;
}
