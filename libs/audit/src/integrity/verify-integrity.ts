import { HashChainVerifier, type EventStore, type RecordedEvent } from '@ppl/event-store';

/**
 * Tamper evidence: recomputes both hash chains (per stream and global, see
 * libs/event-store/src/hash-chain.ts) over the whole global order and reports the first broken
 * link. A chain alone cannot tell that its newest events were cut off; when the store keeps an
 * index of each stream's last revision and hash (SQLite's `streams` table), pass it as
 * `streamHeads` and a truncated stream is reported too. The index may be read before the chain
 * while appends go on: streams that grew since only have to hold the indexed hash at the indexed
 * revision.
 */
export interface BrokenLink {
  readonly streamId: string;
  readonly revision: number;
  /** Global position of the first event that does not verify (-1: a stream's missing tail). */
  readonly position: number;
  readonly reason: string;
}

export interface IntegrityReport {
  readonly ok: boolean;
  /** Events verified before the first broken link (all of them when ok). */
  readonly checked: number;
  /** Hash of the last verified event: an auditor keeps it to detect later rewrites. */
  readonly lastHash: string | null;
  readonly lastPosition: number | null;
  readonly firstBroken: BrokenLink | null;
}

export interface StreamHead {
  readonly streamId: string;
  readonly lastRevision: number;
  readonly lastHash: string;
}

export interface VerifyIntegrityOptions {
  readonly pageSize?: number;
  /** Options of the store's chain (EventStoreDB's adapter hashes no positions). */
  readonly chain?: ConstructorParameters<typeof HashChainVerifier>[0];
  readonly streamHeads?: readonly StreamHead[];
  readonly onProgress?: (checked: number, position: number) => void;
}

/** Verifies events fed in global order; `finish` compares with the stream index if given. */
export class IntegrityChecker {
  private readonly verifier: HashChainVerifier;
  private readonly lastOfStream = new Map<string, { revision: number; hash: string }>();
  /** The stream index's revision per stream, and the hash the chain holds at that revision. */
  private readonly indexed = new Map<string, number>();
  private readonly hashAtIndexed = new Map<string, string>();
  private lastPosition: number | null = null;

  constructor(
    private readonly options: Pick<VerifyIntegrityOptions, 'chain' | 'streamHeads'> = {},
  ) {
    this.verifier = new HashChainVerifier(options.chain);
    for (const head of options.streamHeads ?? []) this.indexed.set(head.streamId, head.lastRevision);
  }

  /** False once the chain is broken (later events are not looked at). */
  check(event: RecordedEvent): boolean {
    if (!this.verifier.check(event)) return false;
    this.lastOfStream.set(event.streamId, { revision: event.revision, hash: event.hash ?? '' });
    if (this.indexed.get(event.streamId) === event.revision) this.hashAtIndexed.set(event.streamId, event.hash ?? '');
    this.lastPosition = event.position;
    return true;
  }

  finish(): IntegrityReport {
    const verdict = this.verifier.verdict();
    if (!verdict.ok) {
      return {
        ok: false,
        checked: verdict.checked,
        lastHash: null,
        lastPosition: this.lastPosition,
        firstBroken: {
          streamId: verdict.streamId,
          revision: verdict.revision,
          position: verdict.position,
          reason: verdict.reason,
        },
      };
    }
    // The index was read before the chain: a stream may have grown since (appends go on while a
    // live store is checked). It must reach the indexed revision, with the indexed hash there.
    for (const head of this.options.streamHeads ?? []) {
      const seen = this.lastOfStream.get(head.streamId);
      if (!seen || seen.revision < head.lastRevision || this.hashAtIndexed.get(head.streamId) !== head.lastHash) {
        const revision = !seen ? 0 : seen.revision < head.lastRevision ? seen.revision + 1 : head.lastRevision;
        return {
          ok: false,
          checked: verdict.checked,
          lastHash: null,
          lastPosition: this.lastPosition,
          firstBroken: {
            streamId: head.streamId,
            revision,
            position: -1,
            reason: !seen
              ? `the store's stream index records revision ${head.lastRevision} but the stream has no events`
              : seen.revision < head.lastRevision
                ? `the stream ends at revision ${seen.revision} but the store's stream index records revision ${head.lastRevision} (hash ${head.lastHash.slice(0, 12)}…): events were removed`
                : `the store's stream index records hash ${head.lastHash.slice(0, 12)}… at revision ${head.lastRevision}, the stream holds another there: the events were rewritten`,
          },
        };
      }
    }
    return {
      ok: true,
      checked: verdict.checked,
      lastHash: verdict.lastHash || null,
      lastPosition: this.lastPosition,
      firstBroken: null,
    };
  }
}

/** Pages through the whole global order of a store and verifies it. */
export async function verifyIntegrity(
  store: EventStore,
  options: VerifyIntegrityOptions = {},
): Promise<IntegrityReport> {
  const checker = new IntegrityChecker(options);
  const pageSize = options.pageSize ?? 1000;
  let after: number | undefined;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    for (const event of page) {
      if (!checker.check(event)) return checker.finish();
    }
    if (page.length === 0) break;
    after = (page[page.length - 1] as RecordedEvent).position;
    options.onProgress?.(page.length, after);
    if (page.length < pageSize) break;
  }
  return checker.finish();
}
