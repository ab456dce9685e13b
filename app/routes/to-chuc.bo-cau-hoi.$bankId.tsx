import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useRef } from "react";
import { getDb } from "~/.server/db.server";
import { requireRole } from "~/.server/auth/session.server";
import { bankExists, checkBankText, getBankSource, importBankText, type EditorWarning } from "~/.server/banks.server";
import { now } from "~/.server/clock.server";
import { changeCount } from "~/.server/content/import.server";
import { MAX_DOCX_BYTES, convertDocx, isDocxName } from "~/.server/word.server";
import { ContentMessage } from "~/components/content-message";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError, FormSuccess, buttonClass, secondaryButtonClass } from "~/components/ui/field";
import { BackLink } from "~/components/ui/back-link";
import { LineMessages } from "~/components/ui/line-messages";
import type { BankQuestion } from "~/domain/content/bank";
import type { WordNote } from "~/domain/content/word";
import { docxMessages } from "~/i18n/docx.vi";
import { contentMessages } from "~/i18n/content.vi";
import { t } from "~/i18n/vi";

const NEW = "moi";
const MAX_BYTES = 1024 * 1024;

const TEMPLATE = `---
id: ma-bo-cau-hoi
title: Tên bộ câu hỏi
topic: Chủ đề
---

## cau-001

Nội dung câu hỏi?

- [ ] Lựa chọn sai
- [x] Lựa chọn đúng
- [ ] Tất cả các đáp án trên {cố định}

Giải thích: Vì sao đáp án đúng là đúng.
Nguồn: Văn bản, bài viết
`;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  const bankId = params.bankId ?? NEW;
  if (bankId === NEW) return { bankId: null, title: null, markdown: TEMPLATE };
  const bank = getBankSource(getDb(), bankId);
  if (!bank) throw new Response(t.errors.notFound, { status: 404 });
  return { bankId: bank.id, title: bank.title, markdown: bank.sourceMarkdown ?? "" };
}

type Outcome = {
  markdown: string;
  errors: { line: number; message: string }[];
  warnings: EditorWarning[];
  preview: BankQuestion[];
  message: string | null;
  formError: string | null;
  /** What converting an uploaded Word file met: shown once, beside the checker's errors. */
  notes: WordNote[];
  converted: boolean;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const organizer = await requireRole(request, "organizer");
  const length = Number(request.headers.get("Content-Length") ?? 0);
  const reply = (outcome: Partial<Outcome>, status = 200) =>
    data(
      {
        markdown: "",
        errors: [],
        warnings: [],
        preview: [],
        message: null,
        formError: null,
        notes: [],
        converted: false,
        ...outcome,
      } satisfies Outcome,
      { status },
    );
  if (length > MAX_BYTES * 2) return reply({ formError: t.organizer.tooLarge }, 413);

  const form = await request.formData();
  let intent = form.get("intent") === "import" ? "import" : "check";
  // Browsers send a textarea's line ends as CRLF: give back the LF the organizer typed.
  let markdown = typeof form.get("markdown") === "string" ? String(form.get("markdown")).replace(/\r\n/g, "\n") : "";
  const file = form.get("file");
  const editing = params.bankId && params.bankId !== NEW ? params.bankId : null;
  let notes: WordNote[] = [];
  let converted = false;
  if (file instanceof File && file.size > 0) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    // A Word file by its name or its content (a zip): converted, shown, never imported in the same step.
    if (isDocxName(file.name) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) {
      const result = await convertDocx(bytes, { bankId: editing, fileName: file.name });
      if (!result.ok) return reply({ markdown, formError: result.message }, bytes.length > MAX_DOCX_BYTES ? 413 : 400);
      markdown = result.conversion.markdown;
      notes = result.conversion.notes;
      converted = true;
      intent = "check";
    } else if (/\.(docx?|pdf|xlsx?|odt|rtf|pptx?)$/i.test(file.name)) {
      return reply({ markdown, formError: docxMessages.wrongType }, 400);
    } else if (file.size > MAX_BYTES) {
      return reply({ markdown, formError: t.organizer.tooLarge }, 413);
    } else {
      try {
        markdown = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        return reply({ markdown, formError: t.organizer.notText }, 400);
      }
    }
  }
  if (!markdown.trim()) return reply({ markdown, formError: t.organizer.empty }, 400);

  const fileName = `${editing ?? "bo-cau-hoi-moi"}.md`;
  const db = getDb();
  const checked = checkBankText(db, fileName, markdown);
  const errors = checked.errors.map((e) => ({ line: e.line, message: e.message }));
  const warnings = checked.warnings;
  // A new bank must not silently overwrite an existing one with the same id, and neither may
  // editing bank X with a file that says `id: Y`.
  if (!editing && checked.bank && bankExists(db, checked.bank.id)) {
    errors.push({ line: checked.bank.idLine, message: t.organizer.idExists(checked.bank.id) });
  }
  if (editing && checked.bank && checked.bank.id !== editing) {
    errors.push({ line: checked.bank.idLine, message: contentMessages.bankIdMismatch(editing, checked.bank.id) });
  }
  errors.sort((a, b) => a.line - b.line);
  if (errors.length > 0 || intent === "check") {
    const clean = errors.length === 0 && notes.length === 0;
    const message = clean
      ? converted
        ? docxMessages.convertedClean(checked.preview.length)
        : t.organizer.valid(checked.preview.length)
      : null;
    return reply({ markdown, errors, warnings, preview: checked.preview, message, notes, converted }, errors.length > 0 ? 400 : 200);
  }

  // Kept under its own name, so that other banks' warnings can point at it.
  const result = importBankText(db, checked.bank ? `${checked.bank.id}.md` : fileName, markdown, { now: now(), actorUserId: organizer.id });
  if (!result.ok) {
    return reply(
      { markdown, errors: result.errors.map((e) => ({ line: e.line, message: e.message })), warnings, preview: checked.preview },
      409,
    );
  }
  const q = result.summary.questions;
  const message = changeCount(result.summary) === 0 ? t.organizer.unchanged : t.organizer.imported(q.created, q.newVersions, q.retired);
  if (result.bankId !== editing) {
    return redirect(`/to-chuc/bo-cau-hoi/${result.bankId}?da-nap=${encodeURIComponent(message)}`);
  }
  return reply({ markdown, warnings, preview: checked.preview, message });
}

function Preview({ questions }: { questions: BankQuestion[] }) {
  return (
    <ol className="space-y-3">
      {questions.map((q) => (
        <li key={`${q.key}-${q.line}`} className="rounded-lg border border-slate-200 bg-white p-3">
          <p className="mb-1 text-xs text-slate-700">
            <code>{q.key}</code> · {t.organizer.line(q.line)}
            {q.points > 1 && ` · ${t.quiz.points(q.points)}`}
            {q.multipleAnswers && ` · ${t.organizer.multipleMark}`}
          </p>
          <p className="mb-2 whitespace-pre-line font-semibold">{q.stem}</p>
          <ul className="space-y-1 text-sm">
            {q.options.map((o) => (
              <li key={o.line} className={o.isCorrect ? "font-semibold text-green-900" : ""}>
                <span aria-hidden="true">{o.isCorrect ? "☑" : "☐"}</span> {o.text}
                {o.isCorrect && <span className="sr-only"> ({t.organizer.correctMark})</span>}
                {o.pinned && <span className="ml-1 text-xs text-slate-700">({t.organizer.pinnedMark})</span>}
              </li>
            ))}
          </ul>
          {q.explanation && <p className="mt-2 text-sm text-slate-700">{q.explanation}</p>}
        </li>
      ))}
    </ol>
  );
}

export default function BankEditor() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const markdown = result?.markdown || loaded.markdown;
  const [searchParams] = useSearchParams();
  const importedMessage = searchParams.get("da-nap");

  /** Puts the cursor on a line of the editor, so an error can be fixed where it is. */
  const goToLine = (line: number) => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    const lines = textarea.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    textarea.focus();
    textarea.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    textarea.scrollTop = Math.max(0, (line - 5) * 20);
  };

  return (
    <div>
      <BackLink to="/to-chuc">{t.organizer.title}</BackLink>
      <h1 className="mb-2 text-2xl font-bold">{loaded.title ? t.organizer.editorTitle(loaded.title) : t.organizer.newEditorTitle}</h1>
      <p className="mb-4 text-slate-700">{t.organizer.editorIntro}</p>
      {loaded.bankId && (
        <p className="mb-4">
          <a href={`/to-chuc/bo-cau-hoi/${loaded.bankId}/tai`} className={secondaryButtonClass} download>
            {t.organizer.download}
          </a>{" "}
          <a href={`/to-chuc/bo-cau-hoi/${loaded.bankId}/tai-docx`} className={secondaryButtonClass} download>
            {docxMessages.downloadWord}
          </a>
        </p>
      )}

      <FormError message={result?.formError} />
      <FormSuccess message={result?.message || importedMessage} />

      <div className="grid gap-4 lg:grid-cols-2">
        <Form method="post" encType="multipart/form-data" key={markdown.length} className="min-w-0">
          <label htmlFor="file" className="mb-1 block font-semibold">
            {t.organizer.upload}
          </label>
          <input
            id="file"
            name="file"
            type="file"
            accept=".md,.docx,text/markdown,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            aria-describedby="file-hint"
            className="mb-1 block w-full text-sm"
          />
          <p id="file-hint" className="mb-3 text-sm text-slate-700">
            {t.organizer.uploadHint}
          </p>
          <label htmlFor="markdown" className="mb-1 block font-semibold">
            {t.organizer.markdown}
          </label>
          <textarea
            id="markdown"
            name="markdown"
            ref={textareaRef}
            defaultValue={markdown}
            rows={24}
            spellCheck={false}
            aria-invalid={result && result.errors.length > 0 ? true : undefined}
            aria-describedby={result && result.errors.length > 0 ? "bank-errors" : undefined}
            className="mb-3 block w-full rounded-lg border border-slate-400 p-2 text-sm leading-5"
          />
          <div className="flex flex-wrap gap-2">
            <button type="submit" name="intent" value="check" className={secondaryButtonClass} disabled={navigation.state === "submitting"}>
              {t.organizer.check}
            </button>
            <button type="submit" name="intent" value="import" className={buttonClass} disabled={navigation.state === "submitting"}>
              {t.organizer.import}
            </button>
          </div>
        </Form>

        {/* On a phone the errors come first, above the editor; on a wide screen they sit beside it. */}
        <div className="order-first min-w-0 lg:order-none">
          {result && result.notes.length > 0 && (
            <section id="word-notes" aria-labelledby="word-notes-title" className="mb-4 rounded-xl border border-red-300 bg-white p-3">
              <h2 id="word-notes-title" className="mb-1 font-bold text-red-900">
                {docxMessages.convertedTitle(result.notes.length)}
              </h2>
              <p className="mb-2 text-sm text-slate-700">{docxMessages.convertedIntro}</p>
              <ul className="space-y-2 text-sm">
                {result.notes.map((n, i) => (
                  <li key={i}>
                    <button type="button" onClick={() => goToLine(n.line)} className="mr-1 font-bold text-red-900 underline">
                      {t.organizer.line(n.line)}
                    </button>
                    <span className={n.severity === "error" ? "font-semibold text-red-900" : "font-semibold text-amber-900"}>
                      [{n.severity === "error" ? docxMessages.errorTag : docxMessages.warningTag}]
                    </span>{" "}
                    <ContentMessage text={n.message} />
                  </li>
                ))}
              </ul>
            </section>
          )}
          {result && (
            <LineMessages id="bank-errors" title={t.organizer.errorsTitle(result.errors.length)} items={result.errors} onLine={goToLine} />
          )}
          {result && (
            <LineMessages
              id="bank-warnings"
              tone="warning"
              title={contentMessages.warningsTitle(result.warnings.length)}
              items={result.warnings}
              onLine={goToLine}
            />
          )}
          {result && result.preview.length > 0 && (
            <section aria-labelledby="preview-title">
              <h2 id="preview-title" className="mb-2 font-bold">
                {t.organizer.previewTitle}
              </h2>
              <Preview questions={result.preview} />
            </section>
          )}
        </div>
      </div>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.organizer.banks} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
