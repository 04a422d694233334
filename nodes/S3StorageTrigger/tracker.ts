/**
 * What the trigger remembers between polls, and how it decides what is new.
 *
 * S3 lists by key, not by time, so every poll lists the whole prefix. An object is "seen" when
 * its Last Modified time is below the floor, or when its key and version are in the tracked set.
 * The floor trails the newest Last Modified time seen by the late-arrival window, so objects
 * that show up late (listed after newer ones, written during a listing, multipart uploads that
 * carry the time they started) are still compared against the set and found. The tracked set
 * holds only objects at or above the floor, at most MAX_TRACKED of them, so the state stays
 * bounded whatever the size of the bucket.
 *
 * Changes that are not reported yet (too young for the minimum age, or beyond the per-poll cap)
 * are left out of the set and hold the floor at their Last Modified time, so a later poll finds
 * them again. Should the set overflow above them, the floor rises anyway and the ones it passes
 * are reported at once: the cap and the minimum age give way before an object is lost.
 *
 * Deletions need names, not hashes: when they are watched the state also keeps the keys listed
 * (the newest MAX_NAMES of them, at most MAX_NAME_CHARS characters in all).
 */
import { createHash } from 'node:crypto';

/** Most objects remembered at once; 20 characters each in the workflow's static data (~400 KB). */
export const MAX_TRACKED = 20_000;
/** Most keys remembered for deletions, and their total length (~1 MB). */
export const MAX_NAMES = 10_000;
export const MAX_NAME_CHARS = 1_000_000;
/** The window never gets shorter than twice the time a listing took, plus a minute. */
const LISTING_MARGIN_MS = 60_000;

const KEY_HASH_LENGTH = 12;
const VERSION_HASH_LENGTH = 8;
const ENTRY_LENGTH = KEY_HASH_LENGTH + VERSION_HASH_LENGTH;

export interface TrackerState {
	/** Format version of this state. */
	v: 1;
	/** Fingerprint of bucket, prefix and filters: a change starts over. */
	config: string;
	/** Epoch ms; objects last modified before it count as seen. */
	floor: number;
	/** Concatenated fixed-width entries: 12-char hash of the key + 8-char hash of ETag and Last Modified. */
	seen: string;
	/** Keys listed (sorted), kept only while deletions are watched. */
	names?: string[];
}

export interface ListedObject {
	key: string;
	etag: string;
	lastModified: number;
	size?: number;
	storageClass?: string;
}

export type Change = 'created' | 'updated';

/** What a poll reports: a created or updated object, or a key that is gone. */
export type Report = { change: Change; object: ListedObject } | { change: 'deleted'; key: string };

export interface ScanOptions {
	/** Which changes are reported; the others are recorded without a word. Default: both. */
	reports?: (change: Change) => boolean;
	/** Whether keys gone since the previous poll are reported (and names kept for it). */
	deletions?: boolean;
	/** Changes to objects modified after this time (epoch ms) wait for a later poll. */
	youngAfter?: number;
	/** Most reports per poll. */
	maxReports?: number;
	/** Keys the trigger itself moved, deleted or tagged this poll: recorded, never reported. */
	ownKeys?: ReadonlySet<string>;
}

function hash(text: string, length: number): string {
	return createHash('sha1').update(text).digest('base64url').slice(0, length);
}

export function configFingerprint(parts: unknown[]): string {
	return hash(JSON.stringify(parts), 16);
}

export function isTrackerState(value: unknown): value is TrackerState {
	const state = value as TrackerState | undefined;
	return (
		typeof state === 'object' &&
		state !== null &&
		state.v === 1 &&
		typeof state.config === 'string' &&
		typeof state.floor === 'number' &&
		typeof state.seen === 'string' &&
		state.seen.length % ENTRY_LENGTH === 0 &&
		(state.names === undefined || (Array.isArray(state.names) && state.names.every((name) => typeof name === 'string')))
	);
}

function decodeSeen(seen: string): Map<string, string> {
	const map = new Map<string, string>();
	for (let offset = 0; offset < seen.length; offset += ENTRY_LENGTH) {
		map.set(seen.slice(offset, offset + KEY_HASH_LENGTH), seen.slice(offset + KEY_HASH_LENGTH, offset + ENTRY_LENGTH));
	}
	return map;
}

interface Candidate {
	entry: string;
	lastModified: number;
}

interface Pending {
	object: ListedObject;
	change: Change;
	entry: string;
	young: boolean;
}

const byAge = (a: Pending, b: Pending) =>
	a.object.lastModified - b.object.lastModified || (a.object.key < b.object.key ? -1 : a.object.key > b.object.key ? 1 : 0);

/**
 * One poll's pass over a listing: `consider()` each listed object (in any order), then `finish()`
 * for the state to save, after which `reports` holds what to emit (deletions first, then the
 * oldest changes). Decisions use only the previous state, so they do not depend on the order of
 * the listing.
 */
export class PollScan {
	private readonly seen: Map<string, string>;
	private readonly floor: number;
	private candidates: Candidate[] = [];
	/** Raised when more than MAX_TRACKED objects fall inside the window. */
	private capFloor = -Infinity;
	private newest = -Infinity;
	private changes: Pending[] = [];
	/** Keys listed, for the next poll's deletions; trimmed to the newest while listing. */
	private names: Array<{ key: string; lastModified: number }> | undefined;
	/** Previous keys not listed (yet) in this poll. */
	private readonly missing: Set<string> | undefined;
	private readonly options: ScanOptions;
	listed = 0;
	/** After `finish()`: what this poll emits. */
	reports: Report[] = [];
	/** After `finish()`: changes and deletions left for later polls. */
	waiting = 0;

	constructor(
		private readonly previous: TrackerState | undefined,
		private readonly windowMs: number,
		private readonly maxTracked = MAX_TRACKED,
		options: ScanOptions = {},
	) {
		this.options = options;
		this.seen = previous ? decodeSeen(previous.seen) : new Map();
		this.floor = previous?.floor ?? -Infinity;
		if (options.deletions) {
			this.names = [];
			if (previous?.names) this.missing = new Set(previous.names);
		}
	}

	/** Records the object for the next state; says whether it is new or changed since the previous state. */
	consider(object: ListedObject): Change | undefined {
		this.listed += 1;
		if (this.names) this.rememberName(object);
		if (object.lastModified > this.newest) this.newest = object.lastModified;
		if (object.lastModified < this.floor) return undefined;

		const keyHash = hash(object.key, KEY_HASH_LENGTH);
		const versionHash = hash(`${object.etag}\n${object.lastModified}`, VERSION_HASH_LENGTH);
		const entry = keyHash + versionHash;
		let change: Change | undefined;
		if (this.previous) {
			const before = this.seen.get(keyHash);
			if (before === undefined) change = 'created';
			else if (before !== versionHash) change = 'updated';
		}
		const reported = change !== undefined && (this.options.reports?.(change) ?? true) && !this.options.ownKeys?.has(object.key);
		if (reported) {
			// Recorded in finish(), once it is decided whether it is emitted now or waits.
			this.changes.push({ object, change: change!, entry, young: object.lastModified > (this.options.youngAfter ?? Infinity) });
		} else {
			this.record({ entry, lastModified: object.lastModified });
		}
		return change;
	}

	private record(candidate: Candidate): void {
		if (candidate.lastModified < this.capFloor) return;
		this.candidates.push(candidate);
		if (this.candidates.length > 2 * this.maxTracked) this.trim();
	}

	private rememberName(object: ListedObject): void {
		this.missing?.delete(object.key);
		this.names!.push({ key: object.key, lastModified: object.lastModified });
		if (this.names!.length > 2 * MAX_NAMES) this.names = newestNames(this.names!);
	}

	/** Keeps the newest `maxTracked` candidates; the rest fall below a raised floor (and count as seen). */
	private trim(): void {
		this.candidates = this.candidates.filter((candidate) => candidate.lastModified >= this.capFloor);
		if (this.candidates.length <= this.maxTracked) return;
		this.candidates.sort((a, b) => b.lastModified - a.lastModified);
		const cut = this.candidates[this.maxTracked].lastModified;
		this.capFloor = cut + 1;
		this.candidates = this.candidates.filter((candidate) => candidate.lastModified > cut);
	}

	/** The state to save after a complete listing that took `listingMs`; fills `reports`. */
	finish(config: string, listingMs: number): TrackerState {
		let room = this.options.maxReports ?? Infinity;
		const gone = this.missing && this.previous ? [...this.missing].filter((key) => !this.options.ownKeys?.has(key)).sort() : [];
		const deleted = gone.slice(0, room);
		const deletedLater = gone.slice(deleted.length);
		room -= deleted.length;

		this.changes.sort(byAge);
		const now: Pending[] = [];
		let later: Pending[] = [];
		for (const pending of this.changes) {
			if (!pending.young && room > 0) {
				now.push(pending);
				room -= 1;
			} else {
				later.push(pending);
			}
		}

		const window = Math.max(this.windowMs, 2 * listingMs + LISTING_MARGIN_MS);
		// Waiting changes hold the floor at or below their time; the set's own bound still wins.
		const oldestWaiting = later.length > 0 ? later[0].object.lastModified : Infinity;
		let floor = Math.max(Math.min(Math.max(this.floor, this.newest - window), oldestWaiting), this.capFloor);
		if (!Number.isFinite(floor)) floor = 0;
		for (const pending of now) this.candidates.push({ entry: pending.entry, lastModified: pending.object.lastModified });
		this.candidates = this.candidates.filter((candidate) => candidate.lastModified >= floor);
		this.capFloor = floor;
		if (this.candidates.length > this.maxTracked) this.trim();
		floor = Math.max(floor, this.capFloor);
		if (later.some((pending) => pending.object.lastModified < floor)) {
			now.push(...later.filter((pending) => pending.object.lastModified < floor));
			later = later.filter((pending) => pending.object.lastModified >= floor);
			now.sort(byAge);
		}

		this.reports = [
			...deleted.map((key) => ({ change: 'deleted' as const, key })),
			...now.map(({ object, change }) => ({ object, change })),
		];
		this.waiting = later.length + deletedLater.length;

		// Sorted, so an unchanged bucket gives a byte-identical state and nothing needs saving.
		const entries = this.candidates.map((candidate) => candidate.entry).sort();
		const state: TrackerState = { v: 1, config, floor, seen: entries.join('') };
		if (this.names) {
			// A deletion not reported yet stays among the names, to be found missing again.
			state.names = [...newestNames(this.names).map((name) => name.key), ...deletedLater].sort();
		}
		return state;
	}
}

/** The newest MAX_NAMES names, no more than MAX_NAME_CHARS characters in all. */
function newestNames(names: Array<{ key: string; lastModified: number }>): Array<{ key: string; lastModified: number }> {
	const sorted = [...names].sort((a, b) => b.lastModified - a.lastModified || (a.key < b.key ? -1 : 1));
	const kept: typeof names = [];
	let chars = 0;
	for (const name of sorted) {
		if (kept.length >= MAX_NAMES || chars + name.key.length > MAX_NAME_CHARS) break;
		kept.push(name);
		chars += name.key.length;
	}
	return kept;
}

export function sameState(a: unknown, b: TrackerState): boolean {
	return (
		isTrackerState(a) &&
		a.config === b.config &&
		a.floor === b.floor &&
		a.seen === b.seen &&
		JSON.stringify(a.names ?? null) === JSON.stringify(b.names ?? null)
	);
}
