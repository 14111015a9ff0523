using System.Globalization;
using System.Text;

namespace TaskManagement.Fuzz.Tests;

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
            Ascii(FramingHeaders(c.Framing, body.Length));
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

    /// <summary>The length/encoding header lines that frame a body of <paramref name="length"/> bytes as <paramref name="framing"/> says.</summary>
    private static string FramingHeaders(Framing framing, int length) => framing switch
    {
        Framing.Normal => $"Content-Length: {length}\r\n",
        Framing.ShortLength => $"Content-Length: {Math.Max(0, length / 2)}\r\n",
        Framing.LongLength => $"Content-Length: {length + 100}\r\n",
        Framing.DuplicateLength => $"Content-Length: {length}\r\nContent-Length: {length + 1}\r\n",
        Framing.BadLength => "Content-Length: 1e3\r\n",
        Framing.Chunked or Framing.BadChunked => "Transfer-Encoding: chunked\r\n",
        Framing.LengthAndChunked => $"Content-Length: {length}\r\nTransfer-Encoding: chunked\r\n",
        Framing.NoLength => "",
        _ => throw new ArgumentOutOfRangeException(nameof(framing), framing, null),
    };

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
