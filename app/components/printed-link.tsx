import { Fragment } from "react";

/**
 * A link as printed text, allowed to wrap after each `/` (never inside a code, unless a single part
 * is wider than the line): `localhost/dk/` + `nghi-quyet-dai-hoi-x/` + `dl-so-tttt` on a phone.
 */
export function PrintedLink({ link }: { link: string }) {
  const parts = link.split("/");
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
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
