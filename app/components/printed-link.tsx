import { Fragment } from "react";

/**
 * A link as printed text, allowed to wrap after each `/` (never inside a code, unless a code is too
 * long for a phone's line): `localhost/dk/` + `nghi-quyet-dai-hoi-x/` + `dl-so-tttt` on a phone.
 */
export function PrintedLink({ link }: { link: string }) {
  const parts = link.split("/");
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {/* A code stays whole (no break at its hyphens) unless it could not fit a phone's line. */}
          {part.length <= 24 ? <span className="whitespace-nowrap">{part}</span> : part}
          {i < parts.length - 1 && (
            <>
              /<wbr />
            </>
          )}
        </Fragment>
      ))}
    </>
  );
}
