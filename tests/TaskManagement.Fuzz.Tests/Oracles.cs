using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TaskManagement.Fuzz.Tests;

/// <summary>
/// What every answer to a hostile request must be: deliberate (never 5xx, never silence), a 4xx is
/// problem+json with <c>error</c>, a refused request changes no row, and nothing invalid is accepted.
/// </summary>
public static partial class Oracles
{
    public static List<Violation> Check(FuzzCase c, Outcome o, Channel channel, FuzzStack stack)
    {
        var found = new List<Violation>();
        var r = o.Response;
        if (r is null)
        {
            // A client that hung up mid-body (half-close) has nobody left to answer.
            if (!o.HalfClosed)
            {
                found.Add(new("no response", o.NoAnswer ?? "nothing"));
            }
        }
        else if (r.Status == 505 && c.Version is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            // RFC 9110 15.6.6: the deliberate answer to a protocol version the server does not speak.
        }
        else if (r.Status >= 500)
        {
            found.Add(new("5xx", $"{r.Status}: {Excerpt(r)}"));
        }

        var rejected = r is null || r.Status >= 400;
        if (rejected && o.DatabaseChange is not null)
        {
            found.Add(new("refused request changed the database", o.DatabaseChange));
        }

        if (r is null)
        {
            return found;
        }

        if (r.Status is >= 400 and < 500 && !c.IsHead)
        {
            CheckProblem(r, found);
        }

        if (r.Body.Length > 0 && !string.Equals(r.Header("X-Content-Type-Options"), "nosniff", StringComparison.OrdinalIgnoreCase))
        {
            found.Add(new("answer without the security headers", $"{r.Status} without X-Content-Type-Options: nosniff"));
        }

        if (c.Oversized && !c.CredentialInvalid && r.Status is >= 400 and < 500 and not 413)
        {
            found.Add(new("body over the limit not answered 413", $"{r.Status}: {Excerpt(r)}"));
        }

        if (c.Route.Protected && c.CredentialInvalid)
        {
            if (c.Canonical && r.Status != 401 && !(c.Oversized && r.Status == 413))
            {
                found.Add(new("invalid or revoked token not answered 401", $"{c.Credential} token → {r.Status}"));
            }
            else if (!c.Canonical && r.Status is >= 200 and < 300)
            {
                found.Add(new("invalid or revoked token accepted", $"{c.Credential} token → {r.Status}"));
            }
        }

        if (r.Status is >= 200 and < 300)
        {
            CheckSuccess(c, r, channel, stack, found);
        }

        return found;
    }

    private static void CheckProblem(RawResponse r, List<Violation> found)
    {
        if (r.Body.Length == 0 && IsKestrelRejection(r))
        {
            // Kestrel answers a request it cannot parse as HTTP (bad request line, header bytes, 414, 431)
            // itself, before any application code, with no hook for a body: docs/decisions.md. In a cluster
            // Envoy faces the client and answers these first.
            return;
        }

        if (r.Body.Length == 0)
        {
            found.Add(new("4xx with an empty body (not problem+json)", $"{r.Status}, Content-Length 0"));
            return;
        }

        var type = r.Header("Content-Type") ?? "(none)";
        if (!type.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase))
        {
            found.Add(new("4xx not problem+json", $"{r.Status} {type}: {Excerpt(r)}"));
            return;
        }

        try
        {
            using var json = JsonDocument.Parse(r.Body);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("error", out var error)
                || error.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(error.GetString()))
            {
                found.Add(new("problem+json without an error member", $"{r.Status}: {Excerpt(r)}"));
            }
        }
        catch (JsonException)
        {
            found.Add(new("problem+json that is not JSON", $"{r.Status}: {Excerpt(r)}"));
        }
    }

    /// <summary>Kestrel's own parse-error answer: an empty 400/405/414/431 that closes the connection, with no content type.</summary>
    private static bool IsKestrelRejection(RawResponse r) =>
        r.Status is 400 or 405 or 414 or 431
        && r.Header("Content-Type") is null
        && string.Equals(r.Header("Connection"), "close", StringComparison.OrdinalIgnoreCase);

    private static void CheckSuccess(FuzzCase c, RawResponse r, Channel channel, FuzzStack stack, List<Violation> found)
    {
        if (c.MustNotSucceed is { } reason)
        {
            found.Add(new($"accepted: {reason}", $"{r.Status}: {Excerpt(r)}"));
        }

        if (c.Target.Contains("{other}", StringComparison.Ordinal))
        {
            found.Add(new("another user's task answered 2xx", $"{r.Status}"));
        }

        var path = c.Target.Split('?')[0];
        var route = c.Route;
        if (route.Template == "/metrics")
        {
            if (c.Method is not ("GET" or "HEAD") || path != "/metrics")
            {
                found.Add(new("/metrics answers more than GET/HEAD /metrics", $"{c.Method} {Short(path)} → {r.Status}"));
            }

            return;
        }

        JsonElement body;
        try
        {
            body = r.Body.Length == 0 ? default : JsonDocument.Parse(r.Body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return;
        }

        if (route.Body == BodyKind.Register && body.ValueKind == JsonValueKind.Object && body.TryGetProperty("username", out var username)
            && (username.GetString() is not { } name || !UsernameRule().IsMatch(name)))
        {
            found.Add(new("registered a username outside the rule", $"username {JsonSerializer.Serialize(username.GetString())}"));
        }

        if (route.Service == Service.Tasks && c.Method is "POST" or "PUT" or "PATCH" && body.ValueKind == JsonValueKind.Object && body.TryGetProperty("title", out var title)
            && BadTitle(title.GetString()) is { } why)
        {
            found.Add(new("stored a title with control or zero-width characters", $"{why}: {JsonSerializer.Serialize(title.GetString())}"));
        }

        if (route.Template.EndsWith("openid-configuration", StringComparison.Ordinal) && c.Method == "GET" && r.BodyText != stack.Discovery[channel])
        {
            found.Add(new("discovery document reflects the request", Excerpt(r)));
        }

        if (route.Template == "/api/tasks" && route.Method == "GET" && r.Header("Link") is { } link)
        {
            foreach (Match m in LinkOffset().Matches(link))
            {
                if (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) < 0)
                {
                    found.Add(new("paging Link with a negative offset", link));
                    break;
                }
            }
        }
    }

    private static string? BadTitle(string? title)
    {
        if (title is null)
        {
            return "null";
        }

        if (title.Length is 0 or > 200 || title != title.Trim())
        {
            return $"length {title.Length} or untrimmed";
        }

        for (var i = 0; i < title.Length; i++)
        {
            var ch = title[i];
            if (char.IsHighSurrogate(ch) && i + 1 < title.Length && char.IsLowSurrogate(title[i + 1]))
            {
                i++;
                continue;
            }

            var category = char.GetUnicodeCategory(ch);
            if (char.IsSurrogate(ch) || category is UnicodeCategory.Control or UnicodeCategory.Format)
            {
                return $"U+{(int)ch:X4} ({category}) at {i}";
            }
        }

        return null;
    }

    public static string Excerpt(RawResponse r, int max = 300)
    {
        var text = r.BodyText.ReplaceLineEndings(" ");
        return text.Length > max ? text[..max] + "..." : text;
    }

    private static string Short(string s) => s.Length > 60 ? $"{s[..40]}...({s.Length} chars)" : s;

    [GeneratedRegex(@"\A[A-Za-z0-9_-]{3,50}\z", RegexOptions.CultureInvariant)]
    private static partial Regex UsernameRule();

    [GeneratedRegex(@"[?&]offset=(-?\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex LinkOffset();
}
