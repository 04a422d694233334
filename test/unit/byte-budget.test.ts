/**
 * The bound on body bytes held by the items in flight of one execution (helpers/byteBudget.ts):
 * what fits goes at once, what does not waits its turn, and an item larger than the whole budget
 * still runs, alone.
 */
import { ByteBudget, byteBudgetOf } from '../../nodes/S3Storage/helpers/byteBudget';

const settled = async () => await new Promise((resolve) => setImmediate(resolve));

it('admits what fits at once and holds the rest until bytes are given back, in turn', async () => {
	const budget = new ByteBudget(100);
	const first = await budget.acquire(60);
	const second = await budget.acquire(40);
	const admitted: string[] = [];
	const third = budget.acquire(30).then((release) => (admitted.push('third'), release));
	const fourth = budget.acquire(10).then((release) => (admitted.push('fourth'), release));
	await settled();
	// the fourth would fit after the third, but does not pass it
	expect(admitted).toEqual([]);
	expect(budget.inUse).toBe(100);
	first();
	first(); // a second release gives nothing back twice
	await settled();
	expect(admitted).toEqual(['third', 'fourth']);
	expect(budget.inUse).toBe(80);
	second();
	(await third)();
	(await fourth)();
	expect(budget.inUse).toBe(0);
});

it('runs an item larger than the whole budget alone', async () => {
	const budget = new ByteBudget(100);
	const small = await budget.acquire(10);
	let hugeAdmitted = false;
	const huge = budget.acquire(500).then((release) => ((hugeAdmitted = true), release));
	await settled();
	expect(hugeAdmitted).toBe(false);
	small();
	await settled();
	expect(hugeAdmitted).toBe(true);
	expect(budget.inUse).toBe(500);
	(await huge)();
});

it('keeps one budget per execution', () => {
	const execution = {};
	expect(byteBudgetOf(execution, 100)).toBe(byteBudgetOf(execution, 100));
	expect(byteBudgetOf({}, 100)).not.toBe(byteBudgetOf(execution, 100));
});
