using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace TaskManagement.Events.Tests;

/// <summary>Commit-to-delivery latency and relay throughput of the outbox over MassTransit/RabbitMQ.</summary>
[Trait("Category", "Benchmark")]
public sealed class BenchmarkTests(ITestOutputHelper output)
{
    [BenchmarkFact]
    public async Task Commit_to_delivery_latency_over_1000_registrations()
    {
        const int count = 1000;
        await using var listener = await AmqpEventListener.StartAsync(Topics.Users);
        await using var db = await TestDatabase.CreateAsync("auth");
        await using var auth = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), AmqpEventListener.ServiceSettings()).Start();
        using var client = auth.CreateHttpClient();
        var (warm, _, _) = await client.RegisterAndLoginAsync(AuthApi.NewUsername("warm"));
        await listener.WaitForAsync(AmqpEventListener.Subject(warm.ToString()));

        var subjects = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            using var response = await client.RegisterAsync(AuthApi.NewUsername("bench"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            subjects.Add((await response.JsonAsync()).GetProperty("userId").GetGuid().ToString());
        }

        var deliveries = await listener.WaitForAsync(d => subjects.Contains(d.Json.GetProperty("subject").GetString()!), count, TimeSpan.FromSeconds(60));
        // CloudEvent time is stamped when the row is staged, just before the commit: this includes the commit.
        var latencies = deliveries.Select(d => (d.ReceivedAt - d.CloudEvent.Time!.Value).TotalMilliseconds).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency over {latencies.Count} events: p50 {Percentile(latencies, 0.50):0.0} ms, p90 {Percentile(latencies, 0.90):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms"));
    }

    [BenchmarkFact]
    public async Task Relay_throughput_for_a_backlog_of_5000_rows()
    {
        const int rows = 5000;
        var topic = $"evbench-{Guid.NewGuid():N}"[..20];
        await using var listener = await AmqpEventListener.StartAsync(topic);
        await using var db = await TestDatabase.CreateAsync("auth");
        try
        {
            // Migrate with the relay off, build the backlog, then start a relay on it.
            await AuthSchema.MigrateAsync(db);

            await OutboxRelayTests.InsertRowsAsync(db, topic, rows, subjects: 500, chunk: 1000);
            var clock = Stopwatch.StartNew();
            await using var auth = new AuthService(db.ConnectionString(), AuthService.NewKeyPath(), AmqpEventListener.ServiceSettings()).Start();
            var deliveries = await listener.WaitForAsync(_ => true, rows, TimeSpan.FromSeconds(120));
            var total = clock.Elapsed;
            var first = deliveries.Min(d => d.ReceivedAt);
            var last = deliveries.Max(d => d.ReceivedAt);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rows} rows: first→last delivery {(last - first).TotalSeconds:0.00} s = {rows / (last - first).TotalSeconds:0} events/s; including service start {total.TotalSeconds:0.00} s"));
            Assert.Equal(0, await OutboxRelayTests.UnpublishedAfterSettlingAsync(db));
        }
        finally
        {
            await AmqpEventListener.DeleteAsync([], [topic]);
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
