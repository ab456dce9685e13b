import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { destroySession, requireUser } from "~/.server/auth/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  return redirect("/", { headers: { "Set-Cookie": await destroySession(request) } });
}
