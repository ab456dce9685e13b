import { describe, expect, it } from "vitest";
import { accountActRefusal, allowedAccountActs, type AccountAct } from "~/domain/accounts";
import { cleanName, exportText, searchKey } from "~/domain/names";
import { addressKey } from "~/domain/network";
import { pageNumber } from "~/domain/paging";
import type { Role } from "../../db/schema";

const actor = (role: Role, id = "me") => ({ id, role });
const target = (role: Role, active = true, id = "them") => ({ id, role, active });

describe("accountActRefusal", () => {
  const acts: AccountAct[] = ["reset-password", "deactivate", "activate", "rename"];
  it.each(acts)("an organizer may %s a member", (act) => {
    expect(accountActRefusal({ actor: actor("organizer"), target: target("member"), act, activeAdmins: 1 })).toBeNull();
  });
  it.each(["organizer", "judge", "admin"] as const)("an organizer may do nothing to a %s", (role) => {
    for (const act of acts)
      expect(accountActRefusal({ actor: actor("organizer"), target: target(role), act, activeAdmins: 1 })).toBe("privileged_needs_admin");
  });
  it("only an admin changes roles", () => {
    expect(
      accountActRefusal({ actor: actor("organizer"), target: target("member"), act: "set-role", newRole: "judge", activeAdmins: 1 }),
    ).toBe("role_needs_admin");
    expect(
      accountActRefusal({ actor: actor("admin"), target: target("member"), act: "set-role", newRole: "judge", activeAdmins: 1 }),
    ).toBeNull();
  });
  it("members and judges manage nobody", () => {
    expect(accountActRefusal({ actor: actor("judge"), target: target("member"), act: "deactivate", activeAdmins: 1 })).toBe("not_staff");
    expect(accountActRefusal({ actor: actor("member"), target: target("member"), act: "rename", activeAdmins: 1 })).toBe("not_staff");
  });
  it("nobody resets, locks or renames themselves here; an admin may step down unless last", () => {
    expect(accountActRefusal({ actor: actor("admin", "a"), target: target("admin", true, "a"), act: "deactivate", activeAdmins: 2 })).toBe(
      "self",
    );
    expect(
      accountActRefusal({
        actor: actor("admin", "a"),
        target: target("admin", true, "a"),
        act: "set-role",
        newRole: "judge",
        activeAdmins: 2,
      }),
    ).toBeNull();
    expect(
      accountActRefusal({
        actor: actor("admin", "a"),
        target: target("admin", true, "a"),
        act: "set-role",
        newRole: "judge",
        activeAdmins: 1,
      }),
    ).toBe("last_admin");
  });
  it("the last active admin cannot be deactivated or demoted; keeping them admin is fine", () => {
    expect(accountActRefusal({ actor: actor("admin"), target: target("admin"), act: "deactivate", activeAdmins: 1 })).toBe("last_admin");
    expect(
      accountActRefusal({ actor: actor("admin"), target: target("admin"), act: "set-role", newRole: "admin", activeAdmins: 1 }),
    ).toBeNull();
    expect(accountActRefusal({ actor: actor("admin"), target: target("admin", false), act: "activate", activeAdmins: 1 })).toBeNull();
  });
  it("allowedAccountActs lists what the page may show", () => {
    expect(allowedAccountActs(actor("organizer"), target("member"), 1)).toEqual(["reset-password", "deactivate", "rename"]);
    expect(allowedAccountActs(actor("organizer"), target("judge"), 1)).toEqual([]);
    expect(allowedAccountActs(actor("admin"), target("member", false), 1)).toEqual(["reset-password", "activate", "rename", "set-role"]);
  });
});

describe("names", () => {
  it("collapses spaces, trims and stores NFC", () => {
    expect(cleanName("  Nguyễn \t Văn\nAn ".normalize("NFD"))).toEqual({ ok: true, name: "Nguyễn Văn An" });
  });
  it.each([
    ["\u0000", "control"],
    ["\u0007", "control"],
    ["\u001b", "control"],
    ["\u0085", "control"],
    ["\u202e", "invisible"],
    ["\u2066", "invisible"],
    ["\u200b", "invisible"],
    ["\ufeff", "invisible"],
  ])("refuses %j", (c, problem) => {
    expect(cleanName(`Nguyễn${c}An`)).toEqual({ ok: false, problem });
  });
  it("requires 2 to 100 characters", () => {
    expect(cleanName(" A ")).toEqual({ ok: false, problem: "required" });
    expect(cleanName("A".repeat(101))).toEqual({ ok: false, problem: "too_long" });
  });
  it("searchKey ignores case and diacritics, đ included", () => {
    expect(searchKey("Nguyễn Văn An")).toBe("nguyen van an");
    expect(searchKey("ĐẶNG  thị   Đào")).toBe("dang thi dao");
    expect(searchKey("Nguyễn Văn An".normalize("NFD"))).toBe("nguyen van an");
  });
  it("exportText drops control and direction characters, keeps line breaks", () => {
    expect(exportText("A\u202eB\u0007C\u200bD\nE")).toBe("ABCD\nE");
  });
});

describe("addressKey", () => {
  it("keeps IPv4, unwraps IPv4-mapped IPv6", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });
  it("groups IPv6 by /64, whatever the notation", () => {
    expect(addressKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(addressKey("[2001:db8:1:2:3:4:5:6]")).toBe("2001:db8:1:2::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("2001:db8:1:3::1")).not.toBe(addressKey("2001:db8:1:2::1"));
  });
  it("unknown stays one key", () => {
    expect(addressKey(undefined)).toBe("unknown");
    expect(addressKey("")).toBe("unknown");
  });
});

describe("pageNumber", () => {
  it.each([
    [null, 1],
    ["", 1],
    ["3", 3],
    ["1e308", 1],
    ["-2", 1],
    ["0", 1],
    ["2.5", 1],
    ["abc", 1],
    ["999999999", 100_000],
    ["99999999999999999999", 1],
  ])("%j → %d", (raw, page) => {
    expect(pageNumber(raw)).toBe(page);
  });
});
