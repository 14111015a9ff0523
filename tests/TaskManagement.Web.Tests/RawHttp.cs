using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace TaskManagement.Web.Tests;

/// <summary>
/// An HTTP/1.0 GET written by hand, for headers that must arrive exactly as given. (HttpClient in a
/// process with OpenTelemetry's HttpClient instrumentation replaces the traceparent header.)
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, string Body)> GetAsync(Uri server, string path, CancellationToken cancellationToken, params (string Name, string Value)[] headers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cancellationToken);
        await using var stream = tcp.GetStream();
        var request = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"GET {path} HTTP/1.0\r\nHost: {server.Authority}\r\nAccept: application/json\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(cancellationToken);
        var statusLine = response[..response.IndexOf('\r', StringComparison.Ordinal)];
        var status = int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        return (status, body);
    }
}
