using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TaskManagement.Events.Tests;

/// <summary>A logger that keeps what it was asked to write.</summary>
public sealed class LogRecorder<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}
