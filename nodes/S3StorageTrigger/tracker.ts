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
 */
import { createHash } from 'node:crypto';

/** Most objects remembered at once; 20 characters each in the workflow's static data (~400 KB). */
export const MAX_TRACKED = 20_000;
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
}

export interface ListedObject {
	key: string;
	etag: string;
	lastModified: number;
	size?: number;
	storageClass?: string;
}

export type Change = 'created' | 'updated';

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
		state.seen.length % ENTRY_LENGTH === 0
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

/**
 * One poll's pass over a listing: `consider()` each listed object (in any order), then `finish()`
 * for the state to save. Decisions use only the previous state, so they do not depend on the
 * order of the listing.
 */
export class PollScan {
	private readonly seen: Map<string, string>;
	private readonly floor: number;
	private candidates: Candidate[] = [];
	/** Raised when more than MAX_TRACKED objects fall inside the window. */
	private capFloor = -Infinity;
	private newest = -Infinity;
	listed = 0;

	constructor(
		private readonly previous: TrackerState | undefined,
		private readonly windowMs: number,
		private readonly maxTracked = MAX_TRACKED,
	) {
		this.seen = previous ? decodeSeen(previous.seen) : new Map();
		this.floor = previous?.floor ?? -Infinity;
	}

	/** Records the object for the next state; says whether it is new or changed since the previous state. */
	consider(object: ListedObject): Change | undefined {
		this.listed += 1;
		if (object.lastModified > this.newest) this.newest = object.lastModified;
		if (object.lastModified < this.floor) return undefined;

		const keyHash = hash(object.key, KEY_HASH_LENGTH);
		const versionHash = hash(`${object.etag}\n${object.lastModified}`, VERSION_HASH_LENGTH);
		if (object.lastModified >= this.capFloor) {
			this.candidates.push({ entry: keyHash + versionHash, lastModified: object.lastModified });
			if (this.candidates.length > 2 * this.maxTracked) this.trim();
		}
		if (!this.previous) return undefined;
		const before = this.seen.get(keyHash);
		if (before === undefined) return 'created';
		return before === versionHash ? undefined : 'updated';
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

	/** The state to save after a complete listing that took `listingMs`. */
	finish(config: string, listingMs: number): TrackerState {
		const window = Math.max(this.windowMs, 2 * listingMs + LISTING_MARGIN_MS);
		let floor = Math.max(this.floor, this.capFloor, this.newest - window);
		if (!Number.isFinite(floor)) floor = 0;
		this.candidates = this.candidates.filter((candidate) => candidate.lastModified >= floor);
		this.capFloor = floor;
		if (this.candidates.length > this.maxTracked) this.trim();
		floor = Math.max(floor, this.capFloor);
		// Sorted, so an unchanged bucket gives a byte-identical state and nothing needs saving.
		const entries = this.candidates.map((candidate) => candidate.entry).sort();
		return { v: 1, config, floor, seen: entries.join('') };
	}
}

export function sameState(a: unknown, b: TrackerState): boolean {
	return isTrackerState(a) && a.config === b.config && a.floor === b.floor && a.seen === b.seen;
}
