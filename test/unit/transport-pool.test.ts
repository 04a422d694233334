import { runPool } from '../../nodes/S3Storage/transport/pool';

describe('runPool, the one bounded-concurrency loop', () => {
	it('returns results in index order with at most `concurrency` tasks running', async () => {
		let running = 0;
		let peak = 0;
		const results = await runPool(10, 3, async (index) => {
			running++;
			peak = Math.max(peak, running);
			await new Promise((resolve) => setTimeout(resolve, (10 - index) * 2));
			running--;
			return index * 10;
		});
		expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
		expect(peak).toBe(3);
	});

	it('starts no task after a failure and throws the first failure once the running ones settle', async () => {
		const started: number[] = [];
		let settled = 0;
		const run = runPool(10, 2, async (index) => {
			started.push(index);
			await new Promise((resolve) => setTimeout(resolve, 5));
			settled++;
			if (index === 1) throw new Error('part 2 failed');
			if (index === 2) throw new Error('a later failure');
			return index;
		});
		await expect(run).rejects.toThrow('part 2 failed');
		expect(started).toEqual([0, 1, 2]);
		expect(settled).toBe(3);
	});

	it('runs nothing for zero tasks', async () => {
		await expect(runPool(0, 4, async () => 1)).resolves.toEqual([]);
	});
});
