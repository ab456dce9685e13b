/**
 * The quiz page's options as one HTML string (app/components/quiz/question-card.tsx): the same
 * bytes React renders for the same markup, so the page, the no-JavaScript form and the save
 * script's reading of it are unchanged; an organizer's text is escaped, never markup.
 */
import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { optionsHtml, type QuizQuestion } from "../../app/components/quiz/question-card";

const question = (over: Partial<QuizQuestion> = {}): QuizQuestion => ({
  position: 3,
  stem: "Câu hỏi",
  multipleAnswers: false,
  points: 1,
  options: [
    { id: 12, text: "Đáp án <b>đậm</b> & \"ngoặc\" 'đơn'" },
    { id: 7, text: "</span></label><script>alert(1)</script>" },
    { id: 30, text: "Bình thường" },
  ],
  chosen: [],
  ...over,
});

/** The markup QuestionCard rendered with React elements before (one label, radio and span an option). */
function asReact(q: QuizQuestion): string {
  const label = (option: QuizQuestion["options"][number]) =>
    createElement(
      "label",
      { key: option.id, className: "quiz-option" },
      createElement("input", {
        type: q.multipleAnswers ? "checkbox" : "radio",
        name: `q-${q.position}`,
        value: option.id,
        defaultChecked: q.chosen.includes(option.id),
      }),
      createElement("span", null, option.text),
    );
  return renderToStaticMarkup(createElement(Fragment, null, q.options.map(label)));
}

describe("optionsHtml", () => {
  it("is what React renders for the same radios, in the member's order", () => {
    const q = question();
    expect(optionsHtml(q)).toBe(asReact(q));
    expect(optionsHtml(q).indexOf('value="12"')).toBeLessThan(optionsHtml(q).indexOf('value="7"'));
  });

  it("checks the stored answer, and for several answers uses checkboxes", () => {
    const single = question({ chosen: [7] });
    expect(optionsHtml(single)).toBe(asReact(single));
    expect(optionsHtml(single).match(/checked/g)).toHaveLength(1);
    expect(optionsHtml(single)).toContain('checked="" value="7"');
    const multiple = question({ multipleAnswers: true, chosen: [12, 30] });
    expect(optionsHtml(multiple)).toBe(asReact(multiple));
    expect(optionsHtml(multiple).match(/type="checkbox"/g)).toHaveLength(3);
    expect(optionsHtml(multiple).match(/checked/g)).toHaveLength(2);
  });

  it("escapes an organizer's text: no tag, attribute or entity of it reaches the page as markup", () => {
    const html = optionsHtml(question());
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;/span&gt;&lt;/label&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&amp; &quot;ngoặc&quot; &#x27;đơn&#x27;");
    expect(html.match(/<label /g)).toHaveLength(3);
  });
});
