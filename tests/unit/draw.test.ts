import { describe, expect, it } from "vitest";
import {
  drawQuestions,
  NotEnoughQuestionsError,
  sample,
  shuffle,
  shuffleOptions,
  type DrawCandidate,
  type DrawQuota,
  type RandomInt,
} from "~/domain/draw";

/**
 * A seeded deterministic random source (mulberry32: a tiny generator whose first outputs already
 * differ well between neighbouring seeds, unlike a bare LCG). The same seed, the same draw.
 */
function seeded(seed: number): RandomInt {
  let state = seed >>> 0;
  return (max: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    const unit = ((z ^ (z >>> 14)) >>> 0) / 2 ** 32;
    return Math.floor(unit * max);
  };
}

/** Candidates whose option ids are globally unique: version v has options v*10+0 … v*10+n-1. */
function candidates(firstVersion: number, count: number, optionCount = 4, pinnedAt: number[] = []): DrawCandidate[] {
  return Array.from({ length: count }, (_, i) => {
    const versionId = firstVersion + i;
    return {
      questionVersionId: versionId,
      options: Array.from({ length: optionCount }, (_, p) => ({ id: versionId * 10 + p, pinned: pinnedAt.includes(p) })),
    };
  });
}

const quotas: DrawQuota[] = [
  { bankId: "a", questionCount: 3, candidates: candidates(100, 8) },
  { bankId: "b", questionCount: 2, candidates: candidates(200, 5, 3) },
  { bankId: "c", questionCount: 4, candidates: candidates(300, 4, 5, [4]) },
];
const byVersion = new Map(quotas.flatMap((q) => q.candidates.map((c) => [c.questionVersionId, { bank: q.bankId, c }] as const)));

describe("drawQuestions", () => {
  it("is deterministic for a given random source", () => {
    expect(drawQuestions(quotas, seeded(7))).toEqual(drawQuestions(quotas, seeded(7)));
  });

  it("respects each bank's quota and never draws a question twice", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const drawn = drawQuestions(quotas, seeded(seed));
      expect(drawn).toHaveLength(3 + 2 + 4);
      const perBank = new Map<string, number>();
      for (const item of drawn) {
        const source = byVersion.get(item.questionVersionId);
        expect(source, `version ${item.questionVersionId} comes from a quota`).toBeDefined();
        perBank.set(source!.bank, (perBank.get(source!.bank) ?? 0) + 1);
      }
      expect(Object.fromEntries(perBank)).toEqual({ a: 3, b: 2, c: 4 });
      const ids = drawn.map((d) => d.questionVersionId);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it("gives every drawn question an order that is a permutation of its version's options", () => {
    for (let seed = 1; seed <= 200; seed++) {
      for (const item of drawQuestions(quotas, seeded(seed))) {
        const authored = byVersion.get(item.questionVersionId)!.c.options.map((o) => o.id);
        expect(item.optionOrder).toHaveLength(authored.length);
        expect([...item.optionOrder].sort((x, y) => x - y)).toEqual([...authored].sort((x, y) => x - y));
      }
    }
  });

  it("keeps pinned options at their authored index across many draws", () => {
    for (let seed = 1; seed <= 300; seed++) {
      for (const item of drawQuestions(quotas, seeded(seed))) {
        const { options } = byVersion.get(item.questionVersionId)!.c;
        options.forEach((option, index) => {
          if (option.pinned) expect(item.optionOrder[index]).toBe(option.id);
        });
      }
    }
  });

  it("varies the questions, their order and the option order across seeds", () => {
    const questionSets = new Set<string>();
    const questionOrders = new Set<string>();
    const optionOrders = new Map<number, Set<string>>();
    for (let seed = 1; seed <= 100; seed++) {
      const drawn = drawQuestions(quotas, seeded(seed));
      questionSets.add(JSON.stringify(drawn.map((d) => d.questionVersionId).sort()));
      questionOrders.add(JSON.stringify(drawn.map((d) => d.questionVersionId)));
      for (const item of drawn) {
        const seen = optionOrders.get(item.questionVersionId) ?? new Set();
        seen.add(JSON.stringify(item.optionOrder));
        optionOrders.set(item.questionVersionId, seen);
      }
    }
    expect(questionSets.size).toBeGreaterThan(10);
    expect(questionOrders.size).toBeGreaterThan(50);
    // Bank c is drawn whole every time: 4 free options of 5 have 24 orders, most of them seen.
    for (let v = 300; v < 304; v++) expect(optionOrders.get(v)!.size).toBeGreaterThan(10);
    // Bank a's questions have 4 free options each.
    const aOrders = [...optionOrders].filter(([v]) => v >= 100 && v < 200).map(([, s]) => s.size);
    expect(Math.max(...aOrders)).toBeGreaterThan(5);
  });

  it("refuses with NotEnoughQuestionsError when a bank is smaller than its quota", () => {
    const tooSmall: DrawQuota[] = [
      { bankId: "a", questionCount: 2, candidates: candidates(100, 5) },
      { bankId: "b", questionCount: 4, candidates: candidates(200, 3) },
    ];
    let caught: unknown;
    try {
      drawQuestions(tooSmall, seeded(1));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NotEnoughQuestionsError);
    expect(caught).toMatchObject({ bankId: "b", wanted: 4, available: 3 });
  });

  it("draws a whole bank when the quota equals its size", () => {
    const drawn = drawQuestions([{ bankId: "a", questionCount: 5, candidates: candidates(100, 5) }], seeded(3));
    expect(drawn.map((d) => d.questionVersionId).sort()).toEqual([100, 101, 102, 103, 104]);
  });
});

describe("shuffleOptions", () => {
  it("keeps a pinned last option last and a pinned first option first", () => {
    const options = [
      { id: 1, pinned: true },
      { id: 2, pinned: false },
      { id: 3, pinned: false },
      { id: 4, pinned: false },
      { id: 5, pinned: true },
    ];
    const seen = new Set<string>();
    for (let seed = 1; seed <= 100; seed++) {
      const order = shuffleOptions(options, seeded(seed));
      expect(order[0]).toBe(1);
      expect(order[4]).toBe(5);
      expect([...order].sort()).toEqual([1, 2, 3, 4, 5]);
      seen.add(JSON.stringify(order));
    }
    expect(seen.size).toBe(6); // every order of the three free options occurs
  });

  it("leaves an all-pinned list as authored", () => {
    const options = [1, 2, 3].map((id) => ({ id, pinned: true }));
    expect(shuffleOptions(options, seeded(9))).toEqual([1, 2, 3]);
  });
});

describe("shuffle and sample", () => {
  it("shuffle returns a permutation", () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = shuffle([...items], seeded(5));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });

  it("sample returns `count` distinct items of the input, without changing it", () => {
    const items = Array.from({ length: 30 }, (_, i) => `q${i}`);
    const copy = [...items];
    const seen = new Set<string>();
    for (let seed = 1; seed <= 100; seed++) {
      const picked = sample(items, 7, seeded(seed));
      expect(picked).toHaveLength(7);
      expect(new Set(picked).size).toBe(7);
      for (const p of picked) expect(items).toContain(p);
      for (const p of picked) seen.add(p);
    }
    expect(items).toEqual(copy);
    expect(seen.size).toBe(30); // over many draws every item gets picked
  });

  it("sample of everything is a permutation, sample of nothing is empty", () => {
    expect([...sample([1, 2, 3, 4], 4, seeded(2))].sort()).toEqual([1, 2, 3, 4]);
    expect(sample([1, 2, 3], 0, seeded(2))).toEqual([]);
  });

  it("draws differ with the random source's values (the injected randomInt is used)", () => {
    const first: RandomInt = () => 0;
    const last: RandomInt = (max) => max - 1;
    expect(sample([1, 2, 3, 4], 2, first)).toEqual([1, 2]);
    expect(sample([1, 2, 3, 4], 2, last)).toEqual([4, 1]);
  });
});
