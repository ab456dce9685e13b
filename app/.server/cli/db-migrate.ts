/** `npm run db:migrate`: applies pending migrations (the server does this at start-up too). */
import { defaultDatabasePath, openDatabase } from "../../../db/client";
import { runCli } from "./run";

runCli(() => {
  openDatabase().$client.close();
  console.log(`Cơ sở dữ liệu ${defaultDatabasePath()} đã ở phiên bản mới nhất.`);
});
