/**
 * The quiz page's answers on their way to the server. Every choice is kept here and in the
 * browser's storage (keyed by attempt) until the server says it has it: a failed save (offline,
 * timeout, 5xx, 429) is retried with a growing pause and at once when the `online` event fires, and
 * a reload or a closed tab finds it again. Each choice carries the instant it was made, so a late
 * retry of an older choice never replaces a newer one (the server checks it too).
 * Plain TypeScript, no React: the page subscribes to changes.
 */

export interface KeptAnswer {
  chosen: number[];
  /** When it was chosen, in the page's estimate of the server's clock. */
  chosenAt: number;
  /** "Câu 3": for the result page's list of answers that did not count. */
  label: string;
  /** The chosen options' texts, for the same list. */
  texts: string[];
}

export type SaveOutcome =
  | { kind: "saved"; answeredCount: number }
  /** Not delivered (offline, timeout, 5xx, 429, signed out): try again after `afterMs` or online. */
  | { kind: "retry"; afterMs?: number; signedOut?: boolean }
  /** The attempt no longer takes answers (deadline and grace passed, already submitted). */
  | { kind: "finished"; url: string; message: string }
  /** The server refuses this answer for good (not an option of the question). */
  | { kind: "rejected"; message: string };

export type AnswerState = "idle" | "saving" | "saved" | "unsaved" | "rejected";

interface Entry extends KeptAnswer {
  sending: boolean;
  tries: number;
  timer: ReturnType<typeof setTimeout> | null;
}

const STORAGE_PREFIX = "cuocthi:bai-thi:";
/** The longest pause between two tries: short enough to land inside the 15 s grace. */
const MAX_BACKOFF_MS = 8_000;

export function storageKey(attemptId: string): string {
  return `${STORAGE_PREFIX}${attemptId}`;
}

interface Stored {
  answers: Record<string, KeptAnswer>;
  prediction?: string;
  submitPending?: boolean;
}

function safeStorage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null; // storage blocked (private mode, policy): keep answers in memory only
  }
}

/** What the browser kept for an attempt (answers not yet confirmed, the typed prediction). */
export function readKept(attemptId: string): Stored {
  const storage = safeStorage();
  try {
    const raw = storage?.getItem(storageKey(attemptId));
    if (!raw) return { answers: {} };
    const parsed = JSON.parse(raw) as Stored;
    return { answers: parsed.answers ?? {}, prediction: parsed.prediction, submitPending: parsed.submitPending };
  } catch {
    return { answers: {} };
  }
}

export function writeKept(attemptId: string, update: (stored: Stored) => Stored): void {
  const storage = safeStorage();
  if (!storage) return;
  try {
    const next = update(readKept(attemptId));
    if (Object.keys(next.answers).length === 0 && !next.prediction && !next.submitPending) storage.removeItem(storageKey(attemptId));
    else storage.setItem(storageKey(attemptId), JSON.stringify(next));
  } catch {
    // quota or blocked storage: the answer stays in memory and is still retried
  }
}

/** Removes what the browser kept for other attempts (finished long ago), so storage stays small. */
export function forgetOtherAttempts(attemptId: string): void {
  const storage = safeStorage();
  if (!storage) return;
  try {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(STORAGE_PREFIX) && key !== storageKey(attemptId)) keys.push(key);
    }
    // Keep the most recent other attempt: its result page may still list answers that did not count.
    for (const key of keys.slice(0, Math.max(0, keys.length - 1))) storage.removeItem(key);
  } catch {
    // ignore
  }
}

export function backoffMs(tries: number, random = Math.random): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, tries - 1)) + Math.floor(random() * 400);
}

export class AnswerOutbox {
  private entries = new Map<number, Entry>();
  private saved = new Set<number>();
  private rejected = new Map<number, string>();
  private listeners = new Set<() => void>();
  private stopped = false;
  answeredCount: number | null = null;
  signedOut = false;

  constructor(
    private readonly attemptId: string,
    private readonly send: (position: number, answer: KeptAnswer) => Promise<SaveOutcome>,
    private readonly onFinished: (url: string, message: string) => void,
  ) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed() {
    for (const listener of this.listeners) listener();
  }

  private persist() {
    const answers: Record<string, KeptAnswer> = {};
    for (const [position, { chosen, chosenAt, label, texts }] of this.entries) answers[position] = { chosen, chosenAt, label, texts };
    writeKept(this.attemptId, (stored) => ({ ...stored, answers }));
  }

  /** A new choice: kept at once, sent at once. */
  choose(position: number, answer: KeptAnswer): void {
    if (this.stopped) return;
    const previous = this.entries.get(position);
    if (previous?.timer) clearTimeout(previous.timer);
    this.entries.set(position, { ...answer, sending: false, tries: 0, timer: null });
    this.saved.delete(position);
    this.rejected.delete(position);
    this.persist();
    void this.deliver(position);
  }

  /** Answers kept from an earlier page (a reload, a closed tab): sent again, oldest choice first. */
  resume(kept: Record<string, KeptAnswer>): void {
    for (const [position, answer] of Object.entries(kept).sort((a, b) => a[1].chosenAt - b[1].chosenAt)) {
      if (!this.entries.has(Number(position))) this.choose(Number(position), answer);
    }
  }

  /** Tries every unsaved answer now (the link is back). */
  retryNow(): void {
    for (const [position, entry] of this.entries) {
      if (!entry.sending) {
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = null;
        void this.deliver(position);
      }
    }
  }

  /** The page is leaving for the result: no more tries (what is kept stays for the result page). */
  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) if (entry.timer) clearTimeout(entry.timer);
  }

  private async deliver(position: number): Promise<void> {
    const entry = this.entries.get(position);
    if (!entry || this.stopped) return;
    entry.sending = true;
    entry.timer = null;
    this.changed();
    const stamp = entry.chosenAt;
    let outcome: SaveOutcome;
    try {
      outcome = await this.send(position, entry);
    } catch {
      outcome = { kind: "retry" };
    }
    const current = this.entries.get(position);
    // A newer choice replaced this one while it travelled: that one has its own delivery.
    if (!current || current.chosenAt !== stamp || this.stopped) return;
    current.sending = false;
    switch (outcome.kind) {
      case "saved":
        this.entries.delete(position);
        this.saved.add(position);
        this.answeredCount = outcome.answeredCount;
        this.signedOut = false;
        this.persist();
        break;
      case "retry":
        current.tries++;
        this.signedOut = outcome.signedOut ?? false;
        current.timer = setTimeout(() => void this.deliver(position), Math.max(outcome.afterMs ?? 0, backoffMs(current.tries)));
        break;
      case "rejected":
        this.entries.delete(position);
        this.rejected.set(position, outcome.message);
        this.persist();
        break;
      case "finished":
        this.stop();
        this.onFinished(outcome.url, outcome.message);
        break;
    }
    this.changed();
  }

  stateOf(position: number): AnswerState {
    const entry = this.entries.get(position);
    if (entry) return entry.sending && entry.tries === 0 ? "saving" : "unsaved";
    if (this.rejected.has(position)) return "rejected";
    return this.saved.has(position) ? "saved" : "idle";
  }

  rejectionOf(position: number): string | undefined {
    return this.rejected.get(position);
  }

  get unsavedCount(): number {
    return this.entries.size;
  }

  /** Whether every chosen answer has reached the server. */
  get settled(): boolean {
    return this.entries.size === 0;
  }
}
