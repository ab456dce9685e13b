/**
 * The quiz page's outbox (app/components/quiz/answer-outbox.ts): every choice is kept until the
 * server confirms it, retried with a growing pause, and a reply to an older choice never marks a
 * newer one as saved. The network is a fake `send`; time is vitest's fake clock (never slept on).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AnswerOutbox, backoffMs, type KeptAnswer, type SaveOutcome } from "~/components/quiz/answer-outbox";

const answer = (chosen: number[], chosenAt: number): KeptAnswer => ({ chosen, chosenAt, label: "Câu 1/10", texts: [] });

/** A send whose replies the test decides, one pending promise per call. */
function fakeNetwork() {
  const calls: { position: number; answer: KeptAnswer; reply: (outcome: SaveOutcome) => void }[] = [];
  const send = (position: number, sent: KeptAnswer) =>
    new Promise<SaveOutcome>((resolve) => calls.push({ position, answer: { ...sent }, reply: resolve }));
  return { calls, send };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("AnswerOutbox", () => {
  it("keeps a failed answer as unsaved and retries it after a growing pause, then marks it saved", async () => {
    const net = fakeNetwork();
    const outbox = new AnswerOutbox("a1", net.send, () => {});
    outbox.choose(0, answer([5], 1000));
    expect(outbox.stateOf(0)).toBe("saving");
    net.calls[0]!.reply({ kind: "retry" });
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.stateOf(0)).toBe("unsaved");
    expect(outbox.unsavedCount).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(net.calls).toHaveLength(1); // not before the first pause (1 s)
    await vi.advanceTimersByTimeAsync(500);
    expect(net.calls).toHaveLength(2);
    expect(net.calls[1]!.answer).toMatchObject({ chosen: [5], chosenAt: 1000 });
    net.calls[1]!.reply({ kind: "saved", answeredCount: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.stateOf(0)).toBe("saved");
    expect(outbox.unsavedCount).toBe(0);
  });

  it("a reply about an older choice does not settle the newer one", async () => {
    const net = fakeNetwork();
    const outbox = new AnswerOutbox("a1", net.send, () => {});
    outbox.choose(0, answer([5], 1000));
    outbox.choose(0, answer([6], 2000));
    expect(net.calls.map((c) => c.answer.chosen)).toEqual([[5], [6]]);
    net.calls[0]!.reply({ kind: "saved", answeredCount: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.stateOf(0)).toBe("saving");
    net.calls[1]!.reply({ kind: "saved", answeredCount: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.stateOf(0)).toBe("saved");
  });

  it("retries everything at once when the link is back, honours Retry-After, and stops when the attempt is over", async () => {
    const net = fakeNetwork();
    const finished = vi.fn();
    const outbox = new AnswerOutbox("a1", net.send, finished);
    outbox.choose(0, answer([5], 1000));
    outbox.choose(1, answer([7], 1100));
    net.calls[0]!.reply({ kind: "retry", afterMs: 30_000 });
    net.calls[1]!.reply({ kind: "retry" });
    await vi.advanceTimersByTimeAsync(0);
    outbox.retryNow();
    expect(net.calls).toHaveLength(4);
    net.calls[2]!.reply({ kind: "finished", url: "/bai-thi/a1/ket-qua", message: "hết giờ" });
    await vi.advanceTimersByTimeAsync(0);
    expect(finished).toHaveBeenCalledWith("/bai-thi/a1/ket-qua", "hết giờ");
    net.calls[3]!.reply({ kind: "retry" });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(net.calls).toHaveLength(4); // nothing more is sent once the attempt is over
  });

  it("drops an answer the server refuses for good, and says why", async () => {
    const net = fakeNetwork();
    const outbox = new AnswerOutbox("a1", net.send, () => {});
    outbox.choose(2, answer([99], 1000));
    net.calls[0]!.reply({ kind: "rejected", message: "Câu trả lời không hợp lệ." });
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.stateOf(2)).toBe("rejected");
    expect(outbox.rejectionOf(2)).toBe("Câu trả lời không hợp lệ.");
    expect(outbox.unsavedCount).toBe(0);
  });

  it("pauses 1, 2, 4, 8 s between tries (plus up to 0.4 s), never longer: a retry lands within the 15 s grace", () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 9].map((tries) => backoffMs(tries, none))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffMs(1, () => 0.999)).toBeLessThan(1400);
  });
});
