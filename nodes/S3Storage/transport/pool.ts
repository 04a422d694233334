/**
 * The one bounded-concurrency loop of the package (items, parts, batches).
 *
 * Runs `task(0)` ... `task(count - 1)` with at most `concurrency` running at once and returns their
 * results in index order. After a failure no new task starts; once the running ones have settled,
 * the first failure is thrown (tasks throw NodeApiError / NodeOperationError already).
 */
export async function runPool<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
	const results: T[] = new Array(count);
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (!failure && next < count) {
			const index = next++;
			try {
				results[index] = await task(index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(0, Math.min(concurrency, count)) }, worker));
	if (failure) throw failure.error;
	return results;
}
