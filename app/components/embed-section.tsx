/**
 * The contest editor's section for partner-site embeds: the origins allowed to frame the embed,
 * the snippet to paste, and a live preview (an iframe of the embed, which this site may frame).
 */
import { Form } from "@remix-run/react";
import { parseEmbedOrigins } from "~/domain/embed";
import { shareText } from "~/i18n/share.vi";
import { Card } from "./ui/card";
import { buttonClass } from "./ui/field";

/** The console's text box: one origin a line; errors name the line ("Dòng 2: …"). */
export function parseEmbedOriginsField(
  raw: FormDataEntryValue | undefined,
): { ok: true; origins: string[] } | { ok: false; message: string } {
  if (typeof raw !== "string" || raw.length > 10_000) return { ok: false, message: shareText.embed.errors.notList };
  const lines = raw.split(/\r?\n/).map((line, index) => ({ line: line.trim(), number: index + 1 }));
  const filled = lines.filter((l) => l.line !== "");
  const { origins, errors } = parseEmbedOrigins(filled.map((l) => l.line));
  if (errors.length > 0) {
    return {
      ok: false,
      message: errors.map((e) => shareText.console.lineError(filled[e.index]?.number ?? filled.length, e.message)).join(" "),
    };
  }
  return { ok: true, origins };
}

export function EmbedSection({
  contestTitle,
  path,
  snippet,
  originsText,
  error,
  submitting,
}: {
  contestTitle: string;
  path: string;
  snippet: string;
  originsText: string;
  error?: string;
  submitting: boolean;
}) {
  const c = shareText.console;
  const input = "block w-full rounded-lg border border-slate-400 px-3 py-2.5 aria-[invalid=true]:border-red-700";
  return (
    <Card aria-labelledby="embed" className="mt-6">
      <h2 id="embed" className="mb-2 text-lg font-bold">
        {c.heading}
      </h2>
      <p className="mb-3 text-sm text-slate-800">{c.intro}</p>
      <Form method="post" noValidate className="mb-4">
        <input type="hidden" name="intent" value="embed" />
        <label htmlFor="embedOrigins" className="mb-1 block font-semibold">
          {c.originsLabel}
        </label>
        <textarea
          key={originsText}
          id="embedOrigins"
          name="embedOrigins"
          rows={4}
          defaultValue={originsText}
          spellCheck={false}
          autoCapitalize="off"
          className={`${input} mb-1 font-mono text-sm`}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "embedOrigins-hint embedOrigins-error" : "embedOrigins-hint"}
        />
        <p id="embedOrigins-hint" className="mb-1 text-sm text-slate-700">
          {c.originsHint}
        </p>
        {error && (
          <p id="embedOrigins-error" className="mb-2 text-sm font-semibold text-red-800">
            {error}
          </p>
        )}
        <button type="submit" className={buttonClass} disabled={submitting}>
          {c.save}
        </button>
      </Form>
      <label htmlFor="embed-snippet" className="mb-1 block font-semibold">
        {c.snippetLabel}
      </label>
      <textarea
        id="embed-snippet"
        readOnly
        rows={4}
        value={snippet}
        className={`${input} mb-1 font-mono text-xs`}
        aria-describedby="embed-snippet-hint"
      />
      <p id="embed-snippet-hint" className="mb-4 text-sm text-slate-700">
        {c.snippetHint}
      </p>
      <h3 className="mb-2 font-semibold">{c.preview}</h3>
      <iframe
        src={path}
        title={c.previewTitle(contestTitle)}
        className="h-[560px] w-full max-w-[480px] rounded-lg border border-slate-300"
        loading="lazy"
      />
    </Card>
  );
}
