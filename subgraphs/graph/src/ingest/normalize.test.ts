import { describe, expect, it } from "vitest";
import { NORMALIZE_KINDS } from "./mappingSpec.ts";
import { ipVersion, normalize, NormalizeError } from "./normalize.ts";

describe("normalize", () => {
  it.each(NORMALIZE_KINDS)("rejects an empty %s value, naming it", (kind) => {
    expect(() => normalize(kind, "")).toThrow(NormalizeError);
    expect(() => normalize(kind, "")).toThrow(/"" is blank/);
  });

  it.each(NORMALIZE_KINDS.filter((kind) => kind !== "none"))("rejects a whitespace-only %s value", (kind) => {
    expect(() => normalize(kind, " \t\u00a0\n ")).toThrow(/is blank, so it cannot be normalised as/);
  });

  it("cuts long values in error messages", () => {
    const long = `${"x".repeat(100)}@@example.com`;
    const error = catchError(() => normalize("email", long));
    expect(error).toBeInstanceOf(NormalizeError);
    expect(error.name).toBe("NormalizeError");
    expect(error.message).toContain(`"${"x".repeat(80)}…"`);
    expect(error.message).not.toContain("x".repeat(81));
  });

  describe("none", () => {
    it("keeps the raw value, whitespace and all", () => {
      expect(normalize("none", "  ACME\tCorp ")).toEqual({ value: "  ACME\tCorp ", key: "  ACME\tCorp ", rules: [] });
      expect(normalize("none", " ")).toEqual({ value: " ", key: " ", rules: [] });
    });
  });

  describe("text", () => {
    it("trims and collapses whitespace, including tabs, newlines and NBSP", () => {
      expect(normalize("text", "  ACME   Corp ")).toEqual({
        value: "ACME Corp",
        key: "ACME Corp",
        rules: ["text.trim", "text.whitespace"],
      });
      expect(normalize("text", "ACME\t\n Corp")).toEqual({ value: "ACME Corp", key: "ACME Corp", rules: ["text.whitespace"] });
      expect(normalize("text", "ACME\u00a0Corp")).toEqual({ value: "ACME Corp", key: "ACME Corp", rules: ["text.nfkc"] });
    });

    it("applies NFKC", () => {
      expect(normalize("text", "ＡＣＭＥ")).toEqual({ value: "ACME", key: "ACME", rules: ["text.nfkc"] });
      expect(normalize("text", "ﬁle")).toMatchObject({ value: "file" });
      expect(normalize("text", "Cafe\u0301").value).toBe("Café");
    });

    it("keeps case and reports no rules for canonical input", () => {
      expect(normalize("text", "ACME Corp")).toEqual({ value: "ACME Corp", key: "ACME Corp", rules: [] });
    });
  });

  describe("casefold", () => {
    it("keeps the display form and lowercases the key", () => {
      expect(normalize("casefold", "  ACME   Corp ")).toEqual({
        value: "ACME Corp",
        key: "acme corp",
        rules: ["text.trim", "text.whitespace", "casefold"],
      });
    });

    it("gives the same key to the same name written differently", () => {
      const keys = ["ACME Corp", "acme corp", " Acme\tCORP", "ＡＣＭＥ Corp"].map((raw) => normalize("casefold", raw).key);
      expect(new Set(keys)).toEqual(new Set(["acme corp"]));
    });

    it("reports no rules for lowercase canonical input", () => {
      expect(normalize("casefold", "acme corp")).toEqual({ value: "acme corp", key: "acme corp", rules: [] });
    });
  });

  describe("email", () => {
    it("strips mailto: and lowercases", () => {
      expect(normalize("email", "MAILTO:Ann@Example.COM")).toEqual({
        value: "ann@example.com",
        key: "ann@example.com",
        rules: ["email.mailto", "email.lowercase"],
      });
    });

    it("converts an internationalised domain to punycode", () => {
      expect(normalize("email", "Ann@Bücher.DE")).toEqual({
        value: "ann@xn--bcher-kva.de",
        key: "ann@xn--bcher-kva.de",
        rules: ["email.lowercase", "domain.idna"],
      });
    });

    it("gives the same key to the same address written differently", () => {
      const keys = ["ann@xn--bcher-kva.de", "Ann@Bücher.DE", " mailto:ANN@bücher.de ", "ann@bücher.de."].map(
        (raw) => normalize("email", raw).key,
      );
      expect(new Set(keys)).toEqual(new Set(["ann@xn--bcher-kva.de"]));
    });

    it("reports no rules for canonical input", () => {
      expect(normalize("email", "ann@example.com")).toEqual({ value: "ann@example.com", key: "ann@example.com", rules: [] });
    });

    it.each([
      ["a@@b.com", /more than one @/],
      ["a@b@c.com", /more than one @/],
      ["ann.example.com", /has no @/],
      ["@example.com", /nothing comes before the @/],
      ["ann@", /nothing comes after the @/],
      ["ann smith@example.com", /contains a space/],
      ["ann@localhost", /in its domain "localhost", a domain needs at least one dot/],
      ["ann@exa_mple.com", /contains "_"/],
      ["ann@*.example.com", /wildcards are not domains/],
      ["ann@[192.0.2.1]", /IP address, not a domain name/],
    ])("rejects %j", (raw, message) => {
      expect(() => normalize("email", raw)).toThrow(NormalizeError);
      expect(() => normalize("email", raw)).toThrow(message);
      expect(() => normalize("email", raw)).toThrow(`${JSON.stringify(raw)} is not an email address`);
    });
  });

  describe("domain", () => {
    it("lowercases and strips one trailing dot", () => {
      expect(normalize("domain", "Example.COM.")).toEqual({
        value: "example.com",
        key: "example.com",
        rules: ["domain.lowercase", "domain.trailing-dot"],
      });
    });

    it("converts IDN to punycode", () => {
      expect(normalize("domain", "bücher.de")).toEqual({ value: "xn--bcher-kva.de", key: "xn--bcher-kva.de", rules: ["domain.idna"] });
      expect(normalize("domain", " Bücher.DE. ").rules).toEqual(["text.trim", "domain.lowercase", "domain.trailing-dot", "domain.idna"]);
    });

    it("takes the host from a URL", () => {
      expect(normalize("domain", "https://Example.com/a")).toEqual({
        value: "example.com",
        key: "example.com",
        rules: ["domain.lowercase", "domain.from-url"],
      });
      expect(normalize("domain", "http://user:pw@www.example.com:8080/a?b#c")).toEqual({
        value: "www.example.com",
        key: "www.example.com",
        rules: ["domain.from-url", "domain.port"],
      });
    });

    it("strips a port", () => {
      expect(normalize("domain", "example.com:443")).toEqual({ value: "example.com", key: "example.com", rules: ["domain.port"] });
    });

    it("gives the same key to the same domain written differently", () => {
      const forms = ["www.example.com", "WWW.Example.COM.", "https://www.example.com/path", " www.example.com:443 ", "ｗｗｗ.example.com"];
      expect(new Set(forms.map((raw) => normalize("domain", raw).key))).toEqual(new Set(["www.example.com"]));
    });

    it("reports no rules for canonical input", () => {
      expect(normalize("domain", "example.com")).toEqual({ value: "example.com", key: "example.com", rules: [] });
      expect(normalize("domain", "xn--bcher-kva.de")).toEqual({ value: "xn--bcher-kva.de", key: "xn--bcher-kva.de", rules: [] });
    });

    it.each([
      ["*.example.com", /wildcards are not domains/],
      ["localhost", /at least one dot/],
      ["example.com..", /empty label/],
      ["a..example.com", /empty label/],
      [".example.com", /empty label/],
      ["-a.example.com", /label "-a" must be letters, digits and hyphens/],
      ["a-.example.com", /label "a-"/],
      [`${"a".repeat(64)}.com`, /longer than 63 characters/],
      [`${"a.".repeat(127)}com`, /longer than 253 characters/],
      ["exa_mple.com", /contains "_"/],
      ["exa mple.com", /contains " "/],
      ["%41.com", /contains "%"/],
      ["xn--a.com", /not a valid internationalised domain name/],
      ["192.0.2.1", /IP address, not a domain name/],
      ["https://[2001:db8::1]/", /IP address, not a domain name/],
      ["https://", /no host name/],
    ])("rejects %j", (raw, message) => {
      expect(() => normalize("domain", raw)).toThrow(NormalizeError);
      expect(() => normalize("domain", raw)).toThrow(message);
    });
  });

  describe("ip", () => {
    it("writes IPv6 in RFC 5952 form", () => {
      expect(normalize("ip", "2001:DB8:0:0:0:0:0:1")).toEqual({ value: "2001:db8::1", key: "2001:db8::1", rules: ["ip.rfc5952"] });
      expect(normalize("ip", "[2001:db8::1]")).toEqual({ value: "2001:db8::1", key: "2001:db8::1", rules: ["ip.brackets"] });
    });

    it("turns an IPv4-mapped IPv6 address into the IPv4 address", () => {
      expect(normalize("ip", "::ffff:192.0.2.1")).toEqual({ value: "192.0.2.1", key: "192.0.2.1", rules: ["ip.ipv4-mapped"] });
      expect(normalize("ip", "::FFFF:C000:0201").value).toBe("192.0.2.1");
    });

    it("gives the same key to the same address written differently", () => {
      const v6 = ["2001:db8::1", "2001:DB8:0:0:0:0:0:1", "[2001:db8:0::1]", " 2001:0db8::0001 "];
      expect(new Set(v6.map((raw) => normalize("ip", raw).key))).toEqual(new Set(["2001:db8::1"]));
      const v4 = ["192.0.2.1", "::ffff:192.0.2.1", "[::ffff:c000:201]", " 192.0.2.1\n"];
      expect(new Set(v4.map((raw) => normalize("ip", raw).key))).toEqual(new Set(["192.0.2.1"]));
    });

    it("reports no rules for canonical input", () => {
      for (const raw of ["192.0.2.1", "0.0.0.0", "2001:db8::1", "::"])
        expect(normalize("ip", raw)).toEqual({ value: raw, key: raw, rules: [] });
    });

    it.each([
      ["192.168.001.1", /octal, hexadecimal and short forms .* are ambiguous/],
      ["010.1.1.1", /are ambiguous/],
      ["1.2.3", /are ambiguous/],
      ["0x7f.0.0.1", /are ambiguous/],
      ["::ffff:010.1.1.1", /embedded IPv4 part "010.1.1.1" is ambiguous/],
      ["999.1.1.1", /expected an IPv4 address/],
      ["not an ip", /expected an IPv4 address/],
      ["1:2:3:4:5:6:7:8:9", /expected an IPv4 address/],
      ["192.0.2.1:80", /without a port/],
      ["fe80::1%eth0", /zone id/],
      ["[fe80::1%25eth0]", /zone id/],
      ["2001:db8::/32", /network range/],
    ])("rejects %j", (raw, message) => {
      expect(() => normalize("ip", raw)).toThrow(NormalizeError);
      expect(() => normalize("ip", raw)).toThrow(message);
      expect(() => normalize("ip", raw)).toThrow(`${JSON.stringify(raw)} is not an IP address`);
    });
  });
});

describe("ipVersion", () => {
  it("tells IPv4 from IPv6 for canonical values", () => {
    expect(ipVersion("192.0.2.1")).toBe(4);
    expect(ipVersion("2001:db8::1")).toBe(6);
  });

  it("refuses a value that is not canonical", () => {
    expect(() => ipVersion("2001:DB8::1")).toThrow(/not a canonical IP address/);
    expect(() => ipVersion("::ffff:192.0.2.1")).toThrow(NormalizeError);
    expect(() => ipVersion("nope")).toThrow(NormalizeError);
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}
