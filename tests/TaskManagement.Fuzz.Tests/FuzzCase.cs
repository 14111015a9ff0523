using System.Globalization;
using System.Text;

namespace TaskManagement.Fuzz.Tests;

public enum Service
{
    Auth,
    Tasks,
}

/// <summary>What a request body of a route looks like when it is valid.</summary>
public enum BodyKind
{
    None,
    Register,
    Login,
    PasswordChange,
    TaskCreate,
    TaskReplace,
    TaskPatch,
}

/// <summary>One route of a service as the README documents it; <c>{id}</c> stands for a task id.</summary>
public sealed record Route(Service Service, string Method, string Template, bool Protected, BodyKind Body)
{
    public string Label => $"{Method} {Template}";

    public bool HasId => Template.Contains("{id}", StringComparison.Ordinal);
}

/// <summary>Which token the request carries; resolved against the running stack when it is sent.</summary>
public enum Credential
{
    None,
    Valid,

    /// <summary>A throwaway user's valid token (for routes that would destroy the main user).</summary>
    Victim,

    /// <summary>The token of a user deleted before the run (DELETE /api/auth/me).</summary>
    Deleted,

    /// <summary>A token issued before its user changed the password.</summary>
    Stale,
    NoSub,
    NonGuidSub,
    NumericSub,
    EmptySub,
    Expired,
    NotYetValid,
    WrongAudience,
    WrongIssuer,
    ForeignKey,
    AlgNone,
    Tampered,

    /// <summary>The <see cref="FuzzCase.RawAuthorization"/> value is sent as the Authorization header.</summary>
    Raw,
}

/// <summary>How the body is framed on the wire.</summary>
public enum Framing
{
    Normal,
    NoLength,
    ShortLength,
    LongLength,
    DuplicateLength,
    BadLength,
    Chunked,
    BadChunked,
    LengthAndChunked,
}

/// <summary>
/// One generated request. Placeholders resolved when sent: <c>{task}</c> (a task of the main user),
/// <c>{other}</c> (another user's task), <c>{user}</c>/<c>{longuser}</c> (usernames), <c>{token}</c>.
/// </summary>
public sealed record FuzzCase
{
    public required Route Route { get; init; }

    public required string Method { get; init; }

    public required string Target { get; init; }

    public string Version { get; init; } = "HTTP/1.1";

    public Credential Credential { get; init; }

    public string? RawAuthorization { get; init; }

    public IReadOnlyList<(string Name, byte[] Value)> Headers { get; init; } = [];

    /// <summary>null: no Host header at all; otherwise the exact value ("{host}" is the server's authority).</summary>
    public byte[]? Host { get; init; } = "{host}"u8.ToArray();

    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    public Framing Framing { get; init; }

    /// <summary>What was broken, for the report.</summary>
    public required string Mutation { get; init; }

    /// <summary>Method, path, headers and framing are as the route expects: only the credential, body or query differ.</summary>
    public bool Canonical { get; init; } = true;

    /// <summary>The body exceeds the 64 KiB limit (413 is then an acceptable answer even to a bad token).</summary>
    public bool Oversized { get; init; }

    /// <summary>Set when any 2xx would be wrong, with the reason.</summary>
    public string? MustNotSucceed { get; init; }

    public bool IsHead => string.Equals(Method, "HEAD", StringComparison.OrdinalIgnoreCase);

    public bool CredentialInvalid => Credential is not (Credential.None or Credential.Valid or Credential.Victim or Credential.Raw)
        || (Credential == Credential.Raw && RawAuthorizationInvalid);

    /// <summary>A raw Authorization value that no server may accept (set by the generator).</summary>
    public bool RawAuthorizationInvalid { get; init; }
}

/// <summary>Values of the running stack that placeholders stand for.</summary>
public sealed record Resolution(string Host, string Token, string Task, string Other, string User, string LongUser);

public static class RequestBytes
{
    public static byte[] Render(FuzzCase c, Resolution r, string? authorization)
    {
        var head = new MemoryStream();
        void Ascii(string s) => head.Write(Encoding.Latin1.GetBytes(s));
        void Line(string name, byte[] value)
        {
            Ascii(name);
            Ascii(": ");
            head.Write(value);
            Ascii("\r\n");
        }

        Ascii($"{c.Method} ");
        head.Write(Substitute(Encoding.UTF8.GetBytes(c.Target), r));
        Ascii(c.Version.Length == 0 ? "\r\n" : $" {c.Version}\r\n");
        if (c.Host is not null)
        {
            Line("Host", Substitute(c.Host, r));
        }

        Ascii("Connection: close\r\n");
        if (authorization is not null)
        {
            Line("Authorization", Encoding.UTF8.GetBytes(authorization));
        }

        foreach (var (name, value) in c.Headers)
        {
            Line(name, Substitute(value, r));
        }

        var body = c.Body is null ? null : Substitute(c.Body, r);
        if (body is not null && c.ContentType is not null)
        {
            Line("Content-Type", Encoding.UTF8.GetBytes(c.ContentType));
        }

        if (body is not null)
        {
            var length = body.Length.ToString(CultureInfo.InvariantCulture);
            switch (c.Framing)
            {
                case Framing.Normal:
                    Ascii($"Content-Length: {length}\r\n");
                    break;
                case Framing.ShortLength:
                    Ascii($"Content-Length: {Math.Max(0, body.Length / 2)}\r\n");
                    break;
                case Framing.LongLength:
                    Ascii($"Content-Length: {body.Length + 100}\r\n");
                    break;
                case Framing.DuplicateLength:
                    Ascii($"Content-Length: {length}\r\nContent-Length: {body.Length + 1}\r\n");
                    break;
                case Framing.BadLength:
                    Ascii("Content-Length: 1e3\r\n");
                    break;
                case Framing.Chunked:
                case Framing.BadChunked:
                    Ascii("Transfer-Encoding: chunked\r\n");
                    break;
                case Framing.LengthAndChunked:
                    Ascii($"Content-Length: {length}\r\nTransfer-Encoding: chunked\r\n");
                    break;
                case Framing.NoLength:
                    break;
            }
        }

        Ascii("\r\n");
        if (body is not null)
        {
            if (c.Framing is Framing.Chunked or Framing.LengthAndChunked)
            {
                Ascii($"{body.Length:x}\r\n");
                head.Write(body);
                Ascii("\r\n0\r\n\r\n");
            }
            else if (c.Framing == Framing.BadChunked)
            {
                Ascii("zz\r\n");
                head.Write(body);
                Ascii("\r\n");
            }
            else
            {
                head.Write(body);
            }
        }

        return head.ToArray();
    }

    /// <summary>The request for a report: printable ASCII as is, other bytes escaped, long runs collapsed.</summary>
    public static string Display(byte[] request, int max = 1500)
    {
        var text = new StringBuilder();
        for (var i = 0; i < request.Length; i++)
        {
            var b = request[i];
            var run = 1;
            while (i + run < request.Length && request[i + run] == b)
            {
                run++;
            }

            if (run >= 16)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Escape(b)}{{x{run}}}");
                i += run - 1;
                continue;
            }

            if (b == '\n' && i > 0 && request[i - 1] == '\r')
            {
                text.Append("\\n\n    ");
                continue;
            }

            text.Append(Escape(b));
            if (text.Length > max)
            {
                text.Append(CultureInfo.InvariantCulture, $"... ({request.Length} bytes)");
                break;
            }
        }

        return text.ToString().TrimEnd();

        static string Escape(byte b) => b switch
        {
            (byte)'\r' => "\\r",
            (byte)'\n' => "\\n",
            (byte)'\\' => "\\\\",
            >= 0x20 and < 0x7f => ((char)b).ToString(),
            _ => $"\\x{b:x2}",
        };
    }

    private static byte[] Substitute(byte[] value, Resolution r)
    {
        if (value.AsSpan().IndexOf((byte)'{') < 0)
        {
            return value;
        }

        // Placeholders are ASCII; Latin-1 maps every other byte to itself and back.
        var text = Encoding.Latin1.GetString(value)
            .Replace("{host}", r.Host, StringComparison.Ordinal)
            .Replace("{token}", r.Token, StringComparison.Ordinal)
            .Replace("{task}", r.Task, StringComparison.Ordinal)
            .Replace("{other}", r.Other, StringComparison.Ordinal)
            .Replace("{longuser}", r.LongUser, StringComparison.Ordinal)
            .Replace("{user}", r.User, StringComparison.Ordinal)
            .Replace("{USER}", r.User.ToUpperInvariant(), StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(text);
    }
}
