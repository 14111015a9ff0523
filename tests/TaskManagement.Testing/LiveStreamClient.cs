using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;

namespace TaskManagement.Testing;

/// <summary>
/// Reads <c>GET /api/tasks/stream</c> the way the browser does (fetch streaming, bearer header): parses the SSE lines
/// into <see cref="SseMessage"/>s, keeps the comment lines and the <c>retry</c> field, and notes when the server ends it.
/// </summary>
public sealed class LiveStreamClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Channel<SseMessage> _messages = Channel.CreateUnbounded<SseMessage>();
    private readonly ConcurrentQueue<string> _comments = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LiveStreamClient(HttpResponseMessage response)
    {
        _response = response;
        _reader = Task.Run(ReadAsync);
    }

    public HttpResponseMessage Response => _response;

    public IReadOnlyCollection<string> Comments => [.. _comments];

    public string? Retry { get; private set; }

    /// <summary>Completes when the server ends the stream (or the connection breaks).</summary>
    public Task Ended => _reader;

    /// <summary>Opens the stream and waits for the <c>: live</c> comment; throws with the body when the answer is not 200.</summary>
    public static async Task<LiveStreamClient> ConnectAsync(HttpClient client, string token, string? lastEventId = null)
    {
        var response = await OpenAsync(client, token, lastEventId);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"stream answered {(int)response.StatusCode}: {body}");
        }

        var stream = new LiveStreamClient(response);
        await stream._connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return stream;
    }

    /// <summary>The raw answer, for status and header assertions.</summary>
    public static Task<HttpResponseMessage> OpenAsync(HttpClient client, string? token, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/tasks/stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The next event, or an exception after <paramref name="timeout"/> (default 5 s).</summary>
    public async Task<SseMessage> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            return await _messages.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no event within {(timeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds} ms");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("the stream ended");
        }
    }

    /// <summary>Events already received and not yet taken, without waiting.</summary>
    public List<SseMessage> Drain()
    {
        var list = new List<SseMessage>();
        while (_messages.Reader.TryRead(out var message))
        {
            list.Add(message);
        }

        return list;
    }

    /// <summary>True when no event arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> StaysQuietAsync(TimeSpan quiet)
    {
        try
        {
            await NextAsync(quiet);
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reader;
        }
        catch (Exception)
        {
            // Ending the read is the point.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(body, Encoding.UTF8);
            string? id = null, type = null;
            var data = new StringBuilder();
            string? line;
            while ((line = await reader.ReadLineAsync(_stop.Token)) is not null)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0 || type is not null)
                    {
                        await _messages.Writer.WriteAsync(new SseMessage(id, type ?? "message", data.ToString()));
                    }

                    id = null;
                    type = null;
                    data.Clear();
                }
                else if (line[0] == ':')
                {
                    _comments.Enqueue(line[1..].Trim());
                    _connected.TrySetResult();
                }
                else
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    var field = colon < 0 ? line : line[..colon];
                    var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
                    switch (field)
                    {
                        case "id": id = value; break;
                        case "event": type = value; break;
                        case "data": data.Append(data.Length > 0 ? "\n" : string.Empty).Append(value); break;
                        case "retry": Retry = value; break;
                    }
                }
            }
        }
        finally
        {
            _messages.Writer.TryComplete();
            _connected.TrySetResult();
        }
    }
}
