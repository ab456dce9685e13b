import { data, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteLoaderData,
  type ShouldRevalidateFunctionArgs,
} from "@remix-run/react";
import { clearUnreadableSessionCookie, getCurrentUser, refreshedSessionCookie } from "~/.server/auth/session.server";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { isEmbedPath } from "~/domain/embed";
import { useNonce } from "~/components/nonce";
import { t } from "~/i18n/vi";
import stylesheet from "~/tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  // The partner-site embed is public and cached: it never reads the session or sets a cookie, so a
  // cached copy can never carry someone's name (docs/decisions/018-embeds-and-share-cards.md).
  if (isEmbedPath(new URL(request.url).pathname)) return data({ user: null });
  const current = await getCurrentUser(request);
  const cookie = refreshedSessionCookie(current) ?? clearUnreadableSessionCookie(request);
  return data(
    { user: current ? { fullName: current.user.fullName, role: current.user.role } : null },
    cookie ? { headers: { "Set-Cookie": cookie } } : undefined,
  );
}

/**
 * Who is logged in changes only by navigating (login, logout, registration redirect). A submission
 * that stays on its page (an answer save, a refused or undelivered quiz submission) must not
 * refetch this: on a weak link that second request fails and would replace the page with an error.
 */
export function shouldRevalidate({ formMethod, currentUrl, nextUrl, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (
    formMethod &&
    formMethod.toUpperCase() !== "GET" &&
    currentUrl.pathname === nextUrl.pathname &&
    currentUrl.pathname.startsWith("/bai-thi/")
  ) {
    return false;
  }
  return defaultShouldRevalidate;
}

function AccountNav() {
  const data = useRouteLoaderData<typeof loader>("root");
  const matches = useMatches();
  // No data means the root's own loader failed (the error page): say nothing rather than "log in".
  if (data === undefined) return null;
  const user = data.user;
  // The quiz offers logout at its bottom, away from the timer, with a confirmation.
  const hideLogout = matches.some((m) => (m.handle as { hideHeaderLogout?: boolean } | undefined)?.hideHeaderLogout);
  if (!user) {
    return (
      <nav aria-label="Tài khoản" className="flex shrink-0 gap-1 text-sm">
        <Link to="/dang-nhap" className="rounded-md px-2 py-2 font-semibold underline-offset-2 hover:underline">
          {t.nav.login}
        </Link>
        <Link to="/dang-ky" className="rounded-md bg-white px-3 py-2 font-semibold text-brand-800">
          {t.nav.register}
        </Link>
      </nav>
    );
  }
  return (
    <nav aria-label="Tài khoản" className="flex min-w-0 items-center gap-2 text-sm">
      {(user.role === "organizer" || user.role === "admin") && (
        <Link to="/to-chuc" className="whitespace-nowrap font-semibold underline">
          {t.organizer.nav}
        </Link>
      )}
      {(user.role === "judge" || user.role === "admin") && (
        <Link to="/giam-khao" className="whitespace-nowrap font-semibold underline">
          {t.judge.nav}
        </Link>
      )}
      <span className="truncate" title={user.fullName}>
        {user.fullName}
      </span>
      {!hideLogout && (
        <Form method="post" action="/dang-xuat">
          <button type="submit" className="whitespace-nowrap rounded-md border border-white/70 px-2 py-1.5 font-semibold">
            {t.nav.logout}
          </button>
        </Form>
      )}
    </nav>
  );
}

/**
 * What a route asks of the page around it (its `handle`): `wide` for the staff's tables, which use
 * a desktop screen's width (phones keep the one column); `embed` for the partner-site embed, which
 * is only its own content, without the site's header and footer.
 */
function usePageFrame() {
  const matches = useMatches();
  const handles = matches.map((m) => (m.handle ?? {}) as { wide?: boolean; embed?: boolean });
  return { wide: handles.some((h) => h.wide), embed: handles.some((h) => h.embed) };
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const { wide, embed } = usePageFrame();
  const width = wide ? "max-w-3xl lg:max-w-7xl" : "max-w-3xl";
  if (embed) {
    return (
      <html lang="vi">
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <Meta />
          <Links />
        </head>
        <body className="bg-white">
          <main id="main" className="px-3 py-3">
            {children}
          </main>
          <ScrollRestoration nonce={nonce} />
          <Scripts nonce={nonce} />
        </body>
      </html>
    );
  }
  return (
    <html lang="vi">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#174c99" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
        >
          {t.site.skipToContent}
        </a>
        <header className="bg-brand-700 text-white">
          <div className={`mx-auto flex ${width} flex-wrap items-center justify-between gap-x-3 gap-y-1 px-4 py-2.5`}>
            <Link to="/" className="min-w-0 break-words py-1 text-base font-bold leading-tight no-underline sm:text-lg">
              {t.site.name}
            </Link>
            <AccountNav />
          </div>
        </header>
        <main id="main" className={`mx-auto ${width} px-4 py-5`}>
          {children}
        </main>
        <footer className={`mx-auto ${width} px-4 pb-8 text-sm text-slate-600`}>{t.site.footer}</footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
