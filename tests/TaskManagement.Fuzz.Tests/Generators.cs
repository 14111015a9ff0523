using System.Globalization;
using System.Text;
using CsCheck;

namespace TaskManagement.Fuzz.Tests;

/// <summary>
/// CsCheck generators of hostile requests. Everything is drawn from the generator's PCG, never from
/// Random or Guid.NewGuid, so one seed always yields the same request.
/// </summary>
public static class Generators
{
    /// <summary>Every route of both services as the README lists them; <see cref="RoutesOf"/> picks one service's.</summary>
    private static readonly Route[] Routes =
    [
        new(Service.Auth, "POST", "/api/auth/register", false, BodyKind.Register),
        new(Service.Auth, "POST", "/api/auth/login", false, BodyKind.Login),
        new(Service.Auth, "GET", "/api/auth/me", true, BodyKind.None),
        new(Service.Auth, "DELETE", "/api/auth/me", true, BodyKind.None),
        new(Service.Auth, "PUT", "/api/auth/me/password", true, BodyKind.PasswordChange),
        new(Service.Auth, "GET", "/api/auth/profile", true, BodyKind.None),
        new(Service.Auth, "POST", "/api/auth/verify", true, BodyKind.None),
        new(Service.Auth, "GET", "/api/auth/.well-known/openid-configuration", false, BodyKind.None),
        new(Service.Auth, "GET", "/api/auth/.well-known/jwks.json", false, BodyKind.None),
        new(Service.Auth, "GET", "/metrics", false, BodyKind.None),
        new(Service.Tasks, "GET", "/api/tasks", true, BodyKind.None),
        new(Service.Tasks, "GET", "/api/tasks/summary", true, BodyKind.None),
        new(Service.Tasks, "POST", "/api/tasks", true, BodyKind.TaskCreate),
        new(Service.Tasks, "GET", "/api/tasks/{id}", true, BodyKind.None),
        new(Service.Tasks, "PUT", "/api/tasks/{id}", true, BodyKind.TaskReplace),
        new(Service.Tasks, "PATCH", "/api/tasks/{id}", true, BodyKind.TaskPatch),
        new(Service.Tasks, "DELETE", "/api/tasks/{id}", true, BodyKind.None),
        new(Service.Tasks, "PATCH", "/api/tasks/{id}/status", true, BodyKind.None),
        new(Service.Tasks, "GET", "/metrics", false, BodyKind.None),
    ];

    public static Route[] RoutesOf(Service service) => [.. Routes.Where(r => r.Service == service)];

    public const string JsonType = "application/json";

    /// <summary>The password every throwaway user (and only they) has; the main user's differs.</summary>
    public const string VictimPassword = "Correct-Horse-9-Battery";

    /// <summary>A password of exactly 72 bytes (bcrypt's limit) that the long-password user registers with.</summary>
    public static readonly string LongPassword = "Aa1!" + new string('x', 68);

    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Cat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static Gen<T> Pick<T>(params T[] values) => Gen.OneOf(values);

    private static Gen<T> Either<T>(params Gen<T>[] gens) => Gen.OneOf([.. gens.Cast<IGen<T>>()]);

    /// <summary>Gen.Frequency without the zero-weight entries (a route without a body has no body mutations).</summary>
    private static Gen<T> Weighted<T>(params (int Weight, Gen<T> Gen)[] choices) =>
        Gen.Frequency([.. choices.Where(c => c.Weight > 0).Select(c => (c.Weight, (IGen<T>)c.Gen))]);

    // ---------- JSON values ----------

    /// <summary>String tokens (quotes included) that break UTF-8, UTF-16 or the field rules.</summary>
    private static readonly (string Label, byte[] Json)[] HostileStrings =
    [
        ("lone high surrogate escape", U("\"\\ud800\"")),
        ("lone low surrogate escape", U("\"\\udfff\"")),
        ("surrogate inside text", U("\"a\\ud800b\"")),
        ("reversed surrogate pair", U("\"\\udc00\\ud800\"")),
        ("truncated emoji escape", U("\"\\ud83d\"")),
        ("overlong UTF-8 '/' (C0 AF)", [0x22, 0xC0, 0xAF, 0x22]),
        ("overlong 3-byte UTF-8", [0x22, 0xE0, 0x80, 0xAF, 0x22]),
        ("UTF-8 encoded surrogate (ED A0 80)", [0x22, 0xED, 0xA0, 0x80, 0x22]),
        ("UTF-8 above U+10FFFF", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]),
        ("byte FF", [0x22, 0x6F, 0x6B, 0xFF, 0x22]),
        ("lone continuation byte", [0x22, 0x80, 0x22]),
        ("truncated 3-byte sequence", [0x22, 0xE2, 0x82, 0x22]),
        ("truncated 4-byte sequence", [0x22, 0xF0, 0x9F, 0x98, 0x22]),
        ("Latin-1 e-acute byte", [0x22, 0x63, 0x61, 0x66, 0xE9, 0x22]),
        ("NUL escape", U("\"\\u0000\"")),
        ("NUL inside text", U("\"Fuzz\\u0000task\"")),
        ("BEL", U("\"\\u0007bell\"")),
        ("trailing newline", U("\"fuzzname\\n\"")),
        ("CR LF", U("\"a\\r\\nb\"")),
        ("tab", U("\"tab\\there\"")),
        ("ANSI escape", U("\"\\u001b[31mred\"")),
        ("DEL", U("\"del\\u007f\"")),
        ("C1 NEL", U("\"nel\\u0085\"")),
        ("zero-width space", U("\"zero\\u200bwidth\"")),
        ("zero-width joiner only", U("\"\\u200d\"")),
        ("word joiner", U("\"a\\u2060b\"")),
        ("BOM", U("\"\\ufeffbom\"")),
        ("right-to-left override", U("\"\\u202eevil\"")),
        ("line separator", U("\"a\\u2028b\"")),
        ("raw control byte", [0x22, 0x61, 0x01, 0x62, 0x22]),
        ("raw tab", U("\"a\tb\"")),
        ("raw newline", U("\"a\nb\"")),
        ("empty", U("\"\"")),
        ("blank", U("\"   \"")),
        ("padded", U("\" padded \"")),
        ("emoji", U("\"\\ud83d\\ude00 \u00e9\u00e8\"")),
        ("combining accent", U("\"ne\u0301e\"")),
        ("fullwidth letters", U("\"\uff46\uff55\uff5a\uff5a\"")),
        ("SQL", U("\"'; DROP TABLE tasks; --\"")),
        ("HTML", U("\"<script>alert(1)</script>\"")),
        ("percent NUL", U("\"%00\"")),
        ("invalid escape", U("\"\\x41\"")),
        ("short unicode escape", U("\"\\u12\"")),
        ("unterminated", U("\"unterminated")),
    ];

    private static readonly (string Label, byte[] Json)[] WrongTypes =
    [
        ("number 0", U("0")), ("negative number", U("-1")), ("1e400", U("1e400")), ("-1e400", U("-1e400")),
        ("30-digit integer", U("123456789012345678901234567890")), ("-0", U("-0")), ("fraction", U("1.5")),
        ("true", U("true")), ("false", U("false")), ("null", U("null")), ("empty array", U("[]")), ("empty object", U("{}")),
        ("array of string", U("[\"a\"]")), ("object", U("{\"a\":1}")), ("NaN literal", U("NaN")), ("Infinity literal", U("Infinity")),
        ("hex literal", U("0x10")), ("leading zero", U("01")), ("bare word", U("pending")), ("single-quoted", U("'low'")),
    ];

    private static readonly (string Label, byte[] Json)[] OddDates =
    [
        ("Feb 30", U("\"2030-02-30\"")), ("month 13", U("\"2030-13-01\"")), ("year 0", U("\"0000-01-01\"")), ("year 1", U("\"0001-01-01\"")),
        ("year 9999", U("\"9999-12-31\"")), ("year 10000", U("\"10000-01-01\"")), ("unpadded", U("\"2030-1-1\"")),
        ("date-time", U("\"2030-01-01T00:00:00Z\"")), ("negative year", U("\"-2030-01-01\"")), ("number", U("20300101")),
        ("date with NUL", U("\"2030-01-01\\u0000\"")), ("leading space", U("\" 2030-01-01\"")), ("day/month/year", U("\"31/12/2030\"")),
    ];

    private static readonly (string Label, byte[] Json)[] OddEnums =
    [
        ("upper case", U("\"PENDING\"")), ("title case", U("\"High\"")), ("hyphenated", U("\"in-progress\"")), ("space", U("\"in progress\"")),
        ("padded", U("\" low\"")), ("with NUL", U("\"low\\u0000\"")), ("integer", U("0")), ("integer 1", U("1")), ("numeric string", U("\"1\"")),
        ("unknown", U("\"urgent\"")), ("empty", U("\"\"")),
    ];

    private static Gen<(string Label, byte[] Json)> LongString =>
        from length in Pick(51, 73, 201, 2001, 5000, 30000)
        from unit in Pick("x", "\u00e9", "\ud83d\ude00", "\\u0041", "\\ud800")
        select ($"{length} x '{unit}'", Cat(U("\""), U(string.Concat(Enumerable.Repeat(unit, length))), U("\"")));

    /// <summary>Lookalikes of an existing account and names that only match the rule up to a line end.</summary>
    private static readonly (string Label, byte[] Json)[] HostileUsernames =
    [
        ("existing name + newline", U("\"{user}\\n\"")), ("new name + newline", U("\"fuzzname\\n\"")), ("name + CR LF", U("\"fuzzcrlf\\r\\n\"")),
        ("name + NUL", U("\"fuzznul\\u0000\"")), ("name + zero-width space", U("\"fuzz\\u200bzw\"")), ("existing name + space", U("\"{user} \"")),
        ("existing name upper-case", U("\"{USER}\"")), ("existing name with accent", U("\"{user}\u00e9\"")), ("newline first", U("\"\\nfuzzfirst\"")),
    ];

    private static Gen<(string Label, byte[] Json)> HostileValue(string field) => Weighted(
        (field == "username" ? 12 : 0, Pick(HostileUsernames)),
        (10, Pick(HostileStrings)),
        (6, Pick(WrongTypes)),
        (3, LongString),
        (field == "dueDate" ? 8 : 0, Pick(OddDates)),
        (field is "priority" or "status" ? 8 : 0, Pick(OddEnums)),
        (1, Deep.Select(d => ($"nested {d.Label}", d.Json))));

    private static Gen<(string Label, byte[] Json)> Deep =>
        from depth in Pick(64, 65, 200, 1000, 10000)
        from array in Gen.Bool
        select array
            ? ($"array depth {depth}", Cat(U(new string('[', depth)), U(new string(']', depth))))
            : ($"object depth {depth}", Cat(U(string.Concat(Enumerable.Repeat("{\"a\":", depth))), U("1"), U(new string('}', depth))));

    // ---------- bodies ----------

    private static readonly string[] Priorities = ["low", "medium", "high"];
    private static readonly string[] Statuses = ["pending", "in_progress", "completed"];

    private static Gen<string> Alnum(int min, int max) =>
        Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[min, max].Select(a => new string(a));

    /// <summary>The members of a valid body for the route, as (name, JSON value).</summary>
    private static Gen<List<(string Name, byte[] Value)>> ValidMembers(BodyKind kind) => kind switch
    {
        BodyKind.Register => Alnum(6, 12).Select(s => new List<(string, byte[])> { ("username", U($"\"fz_{s}\"")), ("password", U($"\"{VictimPassword}\"")) }),
        BodyKind.Login => Pick("{user}", "{longuser}").Select(u => new List<(string, byte[])> { ("username", U($"\"{u}\"")), ("password", U($"\"wrong-{u.Length}-Passw0rd!\"")) }),
        BodyKind.PasswordChange => Alnum(4, 8).Select(s => new List<(string, byte[])> { ("currentPassword", U($"\"{VictimPassword}\"")), ("newPassword", U($"\"New-Passw0rd-{s}!\"")) }),
        BodyKind.TaskCreate or BodyKind.TaskReplace =>
            from title in Alnum(1, 20)
            from priority in Pick(Priorities)
            from status in Pick(Statuses)
            from withOptional in Gen.Bool
            select Members(kind == BodyKind.TaskReplace || withOptional, title, priority, status, withOptional),
        BodyKind.TaskPatch =>
            from all in ValidMembers(BodyKind.TaskCreate)
            from keep in Gen.Bool.Array[5]
            select all.Where((_, i) => keep[i % keep.Length]).DefaultIfEmpty(all[0]).ToList(),
        _ => Gen.Const(new List<(string, byte[])>()),
    };

    private static List<(string, byte[])> Members(bool full, string title, string priority, string status, bool optional)
    {
        var members = new List<(string, byte[])> { ("title", U($"\"Fuzz {title}\"")) };
        if (full)
        {
            members.Add(("priority", U($"\"{priority}\"")));
            members.Add(("status", U($"\"{status}\"")));
        }

        if (optional)
        {
            members.Add(("description", U("\"A fuzzed task\"")));
            members.Add(("dueDate", U("\"2031-06-30\"")));
        }

        return members;
    }

    private static byte[] Object(IEnumerable<(string Name, byte[] Value)> members, string separator = ",")
    {
        var parts = members.Select(m => Cat(U($"\"{m.Name}\":"), m.Value)).ToList();
        return Cat(U("{"), Cat([.. parts.SelectMany((p, i) => i == 0 ? [p] : new[] { U(separator), p })]), U("}"));
    }

    private static readonly (string Label, byte[] Body)[] Structural =
    [
        ("empty body", []), ("whitespace body", U("  \r\n ")), ("JSON null", U("null")), ("JSON array", U("[1,2]")),
        ("JSON string", U("\"title\"")), ("JSON number", U("42")), ("JSON true", U("true")), ("truncated object", U("{\"title\":\"a")),
        ("trailing comma", U("{\"title\":\"a\",}")), ("comment", U("{/* c */\"title\":\"a\"}")), ("single quotes", U("{'title':'a'}")),
        ("unquoted key", U("{title:\"a\"}")), ("two documents", U("{\"title\":\"a\"}{\"title\":\"b\"}")), ("trailing garbage", U("{\"title\":\"a\"}xyz")),
        ("form encoded", U("title=a&priority=low")), ("XML", U("<task><title>a</title></task>")), ("NUL byte", [0x00]),
        ("UTF-8 BOM then object", Cat([0xEF, 0xBB, 0xBF], U("{\"title\":\"a\"}"))), ("bare NaN", U("NaN")),
        ("key with lone surrogate", U("{\"\\ud800\":1}")), ("key with invalid UTF-8", [0x7B, 0x22, 0xC0, 0xAF, 0x22, 0x3A, 0x31, 0x7D]),
        ("only a BOM", [0xEF, 0xBB, 0xBF]), ("binary", [0xFF, 0xFE, 0x00, 0x01, 0x80, 0x7F]),
    ];

    /// <summary>A body for the route (valid or broken in one way) and what was done to it.</summary>
    public static Gen<(byte[] Body, string Label, bool Oversized, string? MustNotSucceed)> Body(Route route)
    {
        var members = ValidMembers(route.Body);
        var valid = members.Select(m => (Object(m), "valid body", false, (string?)null));
        var fieldHostile =
            from m in members
            from index in Gen.Int[0, Math.Max(0, m.Count - 1)]
            from value in HostileValue(m.Count == 0 ? "x" : m[index].Name)
            select m.Count == 0
                ? (Object([("x", value.Json)]), $"unknown member with {value.Label}", false, (string?)null)
                : (Object(m.Select((x, i) => i == index ? (x.Name, value.Json) : x)), $"{m[index].Name}: {value.Label}", false, (string?)null);
        var duplicate =
            from m in members
            from value in Either(Pick(HostileStrings), Pick(WrongTypes))
            where m.Count > 0
            select (Cat(Object(m)[..^1], U($",\"{m[0].Name}\":"), value.Json, U("}")), $"duplicate key {m[0].Name} ({value.Label})", false, (string?)null);
        var oddKeys =
            from m in members
            from kind in Gen.Int[0, 3]
            where m.Count > 0
            select kind switch
            {
                0 => (Object(m.Append(("owner", U("\"someone\"")))), "unknown member", false, (string?)null),
                1 => (Object(m.Select((x, i) => i == 0 ? (x.Name.ToUpperInvariant(), x.Value) : x)), "upper-case key", false, (string?)null),
                2 => (Object(m.Select((x, i) => i == 0 ? ("\\u00" + ((int)x.Name[0]).ToString("x2", CultureInfo.InvariantCulture) + x.Name[1..], x.Value) : x)), "escaped key", false, (string?)null),
                _ => (Object(m.Append(("userId", U("\"00000000-0000-0000-0000-000000000001\"")))), "userId member", false, (string?)null),
            };
        var structural = Pick(Structural).Select(s => (s.Body, s.Label, false, (string?)null));
        var deep = Deep.Select(d => (d.Json, $"top-level {d.Label}", false, (string?)null));
        var oversized =
            from m in members
            select (Object(m.Append(("description", Cat(U("\""), U(new string('d', 70 * 1024)), U("\""))))), "body over 64 KiB", true, (string?)null);
        var encodings =
            from m in members
            from kind in Gen.Int[0, 1]
            select kind == 0
                ? (Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(Object(m))), "UTF-16LE body", false, (string?)null)
                : (Cat(Encoding.Unicode.GetPreamble(), Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(Object(m)))), "UTF-16LE body with BOM", false, (string?)null);
        var gens = new List<(int, Gen<(byte[], string, bool, string?)>)>
        {
            (15, valid), (35, fieldHostile), (8, duplicate), (5, oddKeys), (12, structural), (4, deep), (2, oversized), (3, encodings),
        };
        if (route.Body == BodyKind.Register)
        {
            // "victim\n" passes a ^...$ pattern: registration must refuse lookalikes of real accounts.
            gens.Add((15, from name in Pick(HostileUsernames)
                          select (Object([("username", name.Json), ("password", U($"\"{VictimPassword}\""))]), $"username: {name.Label}", false, (string?)null)));
        }

        if (route.Body == BodyKind.Login)
        {
            // bcrypt reads 72 bytes: a longer password must not log in just because its first 72 bytes match.
            gens.Add((10, from suffix in Pick("x", "EXTRA", "\u00e9", new string('z', 100))
                          select (Object([("username", U("\"{longuser}\"")), ("password", U($"\"{LongPassword}{suffix}\""))]),
                              "password over 72 bytes whose first 72 are right", false, (string?)"login with a password over 72 bytes")));
        }

        return Weighted([.. gens]);
    }

    // ---------- the mutations ----------

    private static FuzzCase Base(Route route, string target, byte[]? body, string mutation) => new()
    {
        Route = route,
        Method = route.Method,
        Target = target,
        Credential = route.Protected ? Credential.Valid : Credential.None,
        Body = body,
        ContentType = body is null ? null : JsonType,
        Mutation = mutation,
    };

    private static Gen<string> TargetFor(Route route) => route.HasId
        ? Weighted((8, Gen.Const("{task}")), (1, Gen.Const("{other}")), (1, Gen.Guid.Select(g => g.ToString())))
            .Select(id => route.Template.Replace("{id}", id, StringComparison.Ordinal))
        : Gen.Const(route.Template);

    private static Gen<byte[]?> ValidBody(Route route) => route.Body == BodyKind.None
        ? Gen.Const((byte[]?)null)
        : ValidMembers(route.Body).Select(m => (byte[]?)Object(m));

    private static Gen<FuzzCase> BodyMutation(Route route) =>
        from target in TargetFor(route)
        from body in route.Body == BodyKind.None
            ? Either(Pick(Structural).Select(s => (s.Body, $"unexpected body: {s.Label}", false, (string?)null)),
                Gen.Const((U("{\"title\":\"x\"}"), "unexpected JSON body", false, (string?)null)))
            : Body(route)
        from contentType in Weighted((12, Gen.Const(JsonType)), (1, Gen.Const("application/json; charset=utf-8")),
            (route.Body == BodyKind.TaskPatch ? 3 : 0, Gen.Const("application/merge-patch+json")))
        select Base(route, target, body.Item1, body.Item2) with
        {
            ContentType = body.Item2.StartsWith("UTF-16", StringComparison.Ordinal) ? "application/json; charset=utf-16" : contentType,
            Oversized = body.Item3,
            MustNotSucceed = body.Item4,
        };

    private static readonly (string Label, string Name, byte[] Value)[] OddHeaders =
    [
        ("non-ASCII cookie (UTF-8)", "Cookie", U("session=caf\u00e9")),
        ("non-ASCII cookie (Latin-1)", "Cookie", [0x73, 0x3D, 0x63, 0x61, 0x66, 0xE9]),
        ("non-ASCII custom header", "X-Client-Name", U("\u65e5\u672c\u8a9e \ud83d\ude00")),
        ("non-ASCII Accept-Language", "Accept-Language", U("fr-\u00c9")),
        ("non-ASCII User-Agent", "User-Agent", U("Fuzz\u00e9/1.0")),
        ("control byte in value", "X-Trace", [0x61, 0x01, 0x62]),
        ("DEL in value", "X-Trace", [0x61, 0x7F]),
        ("obs-fold continuation", "X-Folded", U("a\r\n b")),
        ("Accept XML", "Accept", U("application/xml")),
        ("Accept garbage", "Accept", U("*/*;q=garbage, \u00e9")),
        ("If-Match *", "If-Match", U("*")),
        ("If-Match garbage", "If-Match", U("garbage")),
        ("If-Match weak", "If-Match", U("W/\"1\"")),
        ("If-Match list", "If-Match", U("\"1\", \"2\", \"3\"")),
        ("If-Match unterminated", "If-Match", U("\"abc")),
        ("If-Match non-ASCII", "If-Match", U("\"\u00e9\"")),
        ("If-Match huge version", "If-Match", U("\"99999999999999999999999\"")),
        ("If-None-Match *", "If-None-Match", U("*")),
        ("X-Forwarded-For garbage", "X-Forwarded-For", U("not-an-ip")),
        ("X-Forwarded-For list", "X-Forwarded-For", U("1.2.3.4, 5.6.7.8, ::1")),
        ("X-Forwarded-For out of range", "X-Forwarded-For", U("999.999.999.999")),
        ("X-Forwarded-Proto javascript", "X-Forwarded-Proto", U("javascript")),
        ("X-Forwarded-Proto empty", "X-Forwarded-Proto", U("")),
        ("X-Forwarded-Host evil", "X-Forwarded-Host", U("evil.example")),
        ("traceparent garbage", "traceparent", U("00-zz-zz-zz")),
        ("traceparent all zero", "traceparent", U("00-00000000000000000000000000000000-0000000000000000-00")),
        ("Expect 100-continue", "Expect", U("100-continue")),
        ("Expect garbage", "Expect", U("garbage")),
        ("Transfer-Encoding gzip", "Transfer-Encoding", U("gzip")),
        ("Content-Encoding gzip", "Content-Encoding", U("gzip")),
        ("Range garbage", "Range", U("bytes=zz")),
        ("Origin evil", "Origin", U("http://evil.example")),
        ("Upgrade h2c", "Upgrade", U("h2c")),
        ("empty header name", "", U("value")),
        ("space in header name", "X Bad", U("value")),
        ("non-ASCII header name", "X-\u00e9", U("value")),
    ];

    private static readonly (string Label, string? ContentType)[] OddContentTypes =
    [
        ("no Content-Type", null), ("text/plain", "text/plain"), ("charset latin1", "application/json; charset=latin1"),
        ("charset utf-16", "application/json; charset=utf-16"), ("unknown charset", "application/json; charset=klingon"),
        ("multipart", "multipart/form-data; boundary=x"), ("form", "application/x-www-form-urlencoded"),
        ("non-ASCII media type", "application/js\u00f6n"), ("wildcard", "*/*"), ("empty", ""), ("json list", "application/json, text/plain"),
        ("vendor +json", "application/vnd.fuzz+json"), ("merge-patch", "application/merge-patch+json"),
    ];

    private static Gen<FuzzCase> HeaderMutation(Route route) =>
        from target in TargetFor(route)
        from body in ValidBody(route)
        from kind in Weighted((10, Gen.Const(0)), (3, Gen.Const(1)), (3, Gen.Const(2)), (route.Body != BodyKind.None ? 5 : 0, Gen.Const(3)), (2, Gen.Const(4)), (3, Gen.Const(5)))
        from header in Pick(OddHeaders)
        from size in Pick(9 * 1024, 40 * 1024)
        from contentType in Pick(OddContentTypes)
        from host in Pick<(string, byte[]?)>(("Host evil.example", U("evil.example")), ("Host with odd port", U("evil.example:1")), ("no Host", null),
            ("empty Host", U("")), ("non-ASCII Host", U("\u00e9vil.example")), ("Host with space", U("a b")), ("Host with path", U("evil.example/x")))
        select kind switch
        {
            0 => Base(route, target, body, header.Label) with { Headers = [(header.Name, header.Value)], Canonical = false },
            1 => Base(route, target, body, $"header value of {size / 1024} KiB") with { Headers = [("X-Large", U(new string('a', size)))], Canonical = false },
            2 => Base(route, target, body, "200 headers") with { Headers = [.. Enumerable.Range(0, 200).Select(i => ($"X-H{i}", U("v")))], Canonical = false },
            3 => Base(route, target, body, $"Content-Type: {contentType.Label}") with { ContentType = contentType.ContentType, Canonical = false },
            4 => Base(route, target, body, "duplicated Content-Type") with { Headers = [("Content-Type", U("text/plain"))], Canonical = false },
            _ => Base(route, target, body, host.Item1) with { Host = host.Item2, Canonical = false },
        };

    private static Gen<FuzzCase> MethodMutation(Route route) =>
        from target in TargetFor(route)
        from body in ValidBody(route)
        from method in Pick("TRACE", "CONNECT", "PROPFIND", "OPTIONS", "HEAD", "FOO", "M-SEARCH", route.Method.ToLowerInvariant(),
            "GET", "POST", "PUT", "PATCH", "DELETE", new string('X', 300), "G\u00c9T", "GE(T")
        from connectAuthority in Gen.Bool
        select Base(route, method == "CONNECT" && connectAuthority ? "{host}" : target, body, $"method {Short(method)}") with { Method = method, Canonical = false };

    private static Gen<FuzzCase> PathMutation(Route route) =>
        from id in Pick("not-a-guid", "00000000-0000-0000-0000-000000000000", "%7Btask%7D", "{task}%00", "{task}%2F..",
            "{task}/", "99999999999999999999", new string('a', 10000), "caf\u00e9", "%C0%AF", "%FF", "%ED%A0%80", "", "..", "%2e%2e")
        from kind in Gen.Int[0, 13]
        select kind switch
        {
            0 when route.HasId => Base(route, route.Template.Replace("{id}", id, StringComparison.Ordinal), null, $"id '{Short(id)}'"),
            1 => Base(route, route.Template + "/", null, "trailing slash"),
            2 => Base(route, "/" + route.Template, null, "double leading slash"),
            3 => Base(route, route.Template.ToUpperInvariant(), null, "upper-case path"),
            4 => Base(route, route.Template.Replace("/api/", "/api/./", StringComparison.Ordinal), null, "dot segment"),
            5 => Base(route, "/api/tasks/../auth/me", null, "dot-dot to another service"),
            6 => Base(route, "/api/tasks/%2e%2e/auth/me", null, "encoded dot-dot"),
            7 => Base(route, route.Template + ";jsessionid=x", null, "matrix parameter"),
            8 => Base(route, "http://evil.example" + route.Template, null, "absolute-form target"),
            9 => Base(route, "*", null, "asterisk-form target"),
            10 => Base(route, route.Template + "/" + new string('p', 9000), null, "9 KB path"),
            11 => Base(route, route.Template.TrimStart('/'), null, "target without leading slash"),
            12 => Base(route, route.Template + "/%00", null, "encoded NUL segment"),
            _ => Base(route, route.Template.Replace("{id}", "{task}", StringComparison.Ordinal), null, "odd version") with { Version = id.Length % 3 == 0 ? "HTTP/2.0" : id.Length % 3 == 1 ? "HTTP/1.2" : "" },
        }
        into c
        select c with
        {
            Target = c.Target.Replace("{id}", "{task}", StringComparison.Ordinal),
            Body = route.Body == BodyKind.None ? null : Object([("title", U("\"Fuzz path\""))]),
            ContentType = route.Body == BodyKind.None ? null : JsonType,
            Canonical = false,
        };

    private static readonly (string Label, string Query)[] OddQueries =
    [
        ("offset=int.MaxValue", "offset=2147483647"), ("offset=int.MaxValue, limit=200", "limit=200&offset=2147483647"),
        ("offset near int.MaxValue", "offset=2147483600&limit=100"), ("offset=int.MaxValue+1", "offset=2147483648"),
        ("limit=int.MaxValue", "limit=2147483647"), ("20-digit limit", "limit=99999999999999999999"), ("negative limit", "limit=-1"),
        ("negative offset", "offset=-1"), ("zero limit", "limit=0"), ("exponent", "limit=1e3"), ("plus sign", "limit=%2B5"),
        ("leading space", "limit=%205"), ("hex", "limit=0x10"), ("empty limit", "limit="), ("word", "offset=abc"),
        ("fullwidth digit", "limit=%EF%BC%95"), ("NUL in number", "limit=5%00"), ("repeated limit", "limit=1&limit=500&limit=-3"),
        ("unknown status", "status=done"), ("repeated status", "status=pending&status=pending&status=completed&status=PENDING"),
        ("unknown priority", "priority=urgent"), ("empty priority", "priority="), ("unknown sort", "sort=password"),
        ("sort injection", "sort=title;DROP"), ("q with NUL", "q=%00"), ("q with newline", "q=a%0Ab"), ("q overlong UTF-8", "q=%C0%AF"),
        ("q byte FF", "q=%FF"), ("q encoded surrogate", "q=%ED%A0%80"), ("q lone percent", "q=%"), ("q bad escape", "q=%zz"),
        ("q %u escape", "q=%u0041"), ("q LIKE wildcards", "q=%25%5F"), ("q 201 chars", "q=" + new string('q', 201)),
        ("q 6000 chars", "q=" + new string('q', 6000)), ("q quote", "q=%27%22%5C"), ("ampersands", "&&&"), ("no key", "=x"),
        ("array syntax", "status[]=pending"), ("1000 parameters", string.Join('&', Enumerable.Range(0, 1000).Select(i => $"p{i}=1"))),
        ("raw non-ASCII", "q=caf\u00e9"), ("raw space", "q=a b"), ("question mark only", ""), ("limit and offset huge", "limit=200&offset=2147483647&sort=title"),
    ];

    private static Gen<FuzzCase> QueryMutation(Route route) =>
        from target in TargetFor(route)
        from body in ValidBody(route)
        from query in Pick(OddQueries)
        select Base(route, $"{target}?{query.Query}", body, $"query {query.Label}") with
        {
            // A raw space in the target breaks the request line: that is a transport-level case.
            Canonical = !query.Query.Contains(' ', StringComparison.Ordinal),
        };

    private static readonly (string Label, string Value, bool Invalid)[] RawAuthorizations =
    [
        ("scheme only", "Bearer", true), ("scheme and space", "Bearer ", true), ("Basic credentials", "Basic dXNlcjpwYXNzd29yZA==", true),
        ("token without scheme", "{token}", true), ("two tokens", "Bearer {token} {token}", true), ("three dots", "Bearer a.b.c", true),
        ("only dots", "Bearer ....", true), ("unsigned alg none", "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDEifQ.", true),
        ("10 KB token", "Bearer " + new string('A', 10000), true), ("non-ASCII token", "Bearer \u00e9\u00e9.\u00e9.\u00e9", true),
        ("JSON as token", "Bearer {\"sub\":\"x\"}", true), ("Digest scheme", "Digest username=\"x\"", true), ("token with suffix", "Bearer {token}AAAA", true),
        ("lower-case scheme", "bearer {token}", false), ("double space", "Bearer  {token}", false),
    ];

    private static readonly Credential[] BadCredentials =
    [
        Credential.None, Credential.Deleted, Credential.Stale, Credential.NoSub, Credential.NonGuidSub, Credential.NumericSub, Credential.EmptySub,
        Credential.Expired, Credential.NotYetValid, Credential.WrongAudience, Credential.WrongIssuer, Credential.ForeignKey, Credential.AlgNone, Credential.Tampered,
    ];

    private static Gen<FuzzCase> CredentialMutation(Route route) =>
        from target in TargetFor(route)
        from body in Weighted((3, ValidBody(route).Select(b => (b, "valid body"))),
            (1, route.Body == BodyKind.None ? ValidBody(route).Select(b => (b, "valid body")) : Body(route).Select(b => ((byte[]?)b.Body, b.Label))))
        from credential in Weighted((4, Pick(BadCredentials)), (1, Gen.Const(Credential.Raw)))
        from raw in Pick(RawAuthorizations)
        from duplicate in Gen.Int[0, 9]
        select credential == Credential.Raw
            ? Base(route, target, body.Item1, $"Authorization: {raw.Label}; {body.Item2}") with
            {
                Credential = Credential.Raw,
                RawAuthorization = raw.Value,
                RawAuthorizationInvalid = raw.Invalid,
                Canonical = !raw.Value.Contains('\u00e9', StringComparison.Ordinal),
            }
            : duplicate == 0
                ? Base(route, target, body.Item1, $"two Authorization headers (valid, then {credential})") with
                {
                    Headers = [("Authorization", U("Bearer {token}"))],
                    Credential = credential == Credential.None ? Credential.Expired : credential,
                    Canonical = false,
                }
                : Base(route, target, body.Item1, $"{credential} token; {body.Item2}") with { Credential = credential };

    private static Gen<FuzzCase> FramingMutation(Route route) =>
        from target in TargetFor(route)
        from body in ValidBody(route)
        from framing in Pick(Framing.NoLength, Framing.ShortLength, Framing.LongLength, Framing.DuplicateLength, Framing.BadLength,
            Framing.Chunked, Framing.BadChunked, Framing.LengthAndChunked)
        select Base(route, target, body ?? U("{\"title\":\"x\"}"), $"framing {framing}") with
        {
            Framing = framing,
            ContentType = JsonType,
            Canonical = framing == Framing.Chunked,
        };

    /// <summary>One hostile request for one of <paramref name="routes"/>.</summary>
    public static Gen<FuzzCase> Case(Route[] routes) =>
        // /metrics is one endpoint of the platform, not of the API: a few cases are enough.
        from route in Weighted([.. routes.Select(r => (r.Template == "/metrics" ? 1 : 4, Gen.Const(r)))])
        from c in Weighted(
            (route.Body != BodyKind.None ? 35 : 6, BodyMutation(route)),
            (14, HeaderMutation(route)),
            (8, MethodMutation(route)),
            (9, PathMutation(route)),
            (route.Template == "/api/tasks" && route.Method == "GET" ? 30 : 3, QueryMutation(route)),
            (route.Protected ? 16 : 2, CredentialMutation(route)),
            (route.Body != BodyKind.None ? 7 : 2, FramingMutation(route)))
        select c;

    private static string Short(string s) => s.Length > 40 ? $"{s[..20]}...({s.Length} chars)" : s;
}
