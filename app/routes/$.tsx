import { GeneralErrorBoundary } from "~/components/error-boundary";
import { t } from "~/i18n/vi";

/** Any unknown address: a kind 404 page (and no stack trace in the server log). */
export async function loader() {
  throw new Response(t.errors.notFound, { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
