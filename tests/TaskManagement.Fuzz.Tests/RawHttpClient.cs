using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TaskManagement.Fuzz.Tests;

/// <summary>
/// Writes request bytes exactly as given on a new loopback connection and parses the answer, so the
/// fuzz can send what HttpClient refuses to (odd methods, non-ASCII or duplicated headers, wrong
/// Content-Length, broken framing). Every request carries <c>Connection: close</c>.
/// </summary>
public static class RawHttpClient
{
    /// <summary>Null when the server closed the connection or did not answer within <paramref name="timeout"/>.</summary>
    public static async Task<(RawResponse? Response, string? NoAnswer)> SendAsync(
        int port, byte[] request, bool isHead, bool halfClose, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var received = new MemoryStream();
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
            try
            {
                await socket.SendAsync(request, SocketFlags.None, cts.Token);
                if (halfClose)
                {
                    // Ends the body early: a Content-Length that promised more must be answered, not waited for.
                    socket.Shutdown(SocketShutdown.Send);
                }
            }
            catch (SocketException)
            {
                // The server may answer and close before it has read everything (e.g. 431); read what it sent.
            }

            var buffer = new byte[16 * 1024];
            while (true)
            {
                if (TryParse(received.GetBuffer().AsSpan(0, (int)received.Length), isHead, complete: false) is { } done)
                {
                    return (done, null);
                }

                int read;
                try
                {
                    read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                }
                catch (SocketException e)
                {
                    return received.Length > 0 && TryParse(received.ToArray(), isHead, complete: true) is { } partial
                        ? (partial, null)
                        : (null, $"connection {e.SocketErrorCode} without a response");
                }

                if (read == 0)
                {
                    return TryParse(received.ToArray(), isHead, complete: true) is { } last
                        ? (last, null)
                        : (null, received.Length == 0 ? "connection closed without a response" : "connection closed mid-response");
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
            return (null, $"no response within {timeout.TotalSeconds:0}s");
        }
        catch (SocketException e)
        {
            return (null, $"connection {e.SocketErrorCode}");
        }
    }

    /// <summary>A complete response (skipping 1xx), or null when more bytes are needed.</summary>
    private static RawResponse? TryParse(ReadOnlySpan<byte> data, bool isHead, bool complete)
    {
        while (true)
        {
            var end = data.IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                return null;
            }

            var head = Encoding.Latin1.GetString(data[..end]).Split("\r\n");
            var statusParts = head[0].Split(' ', 3);
            if (statusParts.Length < 2 || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                return null;
            }

            var headers = new List<KeyValuePair<string, string>>();
            foreach (var line in head.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
                }
            }

            var rest = data[(end + 4)..];
            if (status is >= 100 and < 200)
            {
                data = rest;
                continue;
            }

            string? Get(string name) => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            if (isHead || status is 204 or 304)
            {
                return new RawResponse(status, headers, []);
            }

            if (Get("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
            {
                return Dechunk(rest) is { } body ? new RawResponse(status, headers, body) : complete ? new RawResponse(status, headers, rest.ToArray()) : null;
            }

            if (Get("Content-Length") is { } lengthText && int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                return rest.Length >= length ? new RawResponse(status, headers, rest[..length].ToArray()) : complete ? new RawResponse(status, headers, rest.ToArray()) : null;
            }

            // No framing: the body runs to the end of the connection.
            return complete ? new RawResponse(status, headers, rest.ToArray()) : null;
        }
    }

    private static byte[]? Dechunk(ReadOnlySpan<byte> data)
    {
        var body = new MemoryStream();
        while (true)
        {
            var lineEnd = data.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return null;
            }

            var sizeText = Encoding.ASCII.GetString(data[..lineEnd]).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size))
            {
                return null;
            }

            data = data[(lineEnd + 2)..];
            if (size == 0)
            {
                return body.ToArray();
            }

            if (data.Length < size + 2)
            {
                return null;
            }

            body.Write(data[..size]);
            data = data[(size + 2)..];
        }
    }
}
