import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { t } from "~/i18n/vi";

/** One kind page for every error status; never a stack trace. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let message: string = t.errors.generic;
  if (isRouteErrorResponse(error)) {
    if (typeof error.data === "string" && error.data) message = error.data;
    else if (error.status === 404) message = t.errors.notFound;
    else if (error.status === 403) message = t.errors.forbidden;
    else if (error.status === 429) message = t.errors.tooMany;
  }
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-white p-5">
      <h1 className="mb-2 text-xl font-bold">{t.errors.title}</h1>
      <p className="mb-4">{message}</p>
      <Link to="/" className="font-semibold text-brand-700 underline">
        {t.errors.backHome}
      </Link>
    </div>
  );
}
