using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MySqlConnector;
using TaskManagement.Testing;

namespace TaskManagement.Fuzz.Tests;

/// <summary>
/// The real stack the fuzz runs against: Auth and Tasks on throwaway MariaDB databases (generous rate
/// limits), the Web gateway in front of them, and the users and tokens the cases refer to.
/// </summary>
public sealed class FuzzStack : IAsyncLifetime
{
    private const string MainPassword = "Main-User-Passw0rd!#";
    private static readonly string[] VolatileColumns = ["published_at", "attempts", "last_error", "next_attempt_at"];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Dictionary<Credential, string> _tokens = [];
    private string _snapshotSql = "";
    private string? _baseline;
    private bool _taskMayBeGone;
    private MySqlConnection? _connection;

    public TestDatabase AuthDatabase { get; private set; } = null!;

    public TestDatabase TasksDatabase { get; private set; } = null!;

    public AuthService Auth { get; private set; } = null!;

    public TasksService Tasks { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public HttpClient AuthClient { get; private set; } = null!;

    public HttpClient TasksClient { get; private set; } = null!;

    public string MainUser { get; private set; } = "";

    public string MainToken { get; private set; } = "";

    public Guid MainTask { get; private set; }

    public Guid OtherTask { get; private set; }

    public string LongUser { get; private set; } = "";

    /// <summary>The discovery document as a plain request gets it, per channel (the oracle for reflected input).</summary>
    public Dictionary<Channel, string> Discovery { get; } = [];

    public async Task InitializeAsync()
    {
        AuthDatabase = await TestDatabase.CreateAsync("auth");
        TasksDatabase = await TestDatabase.CreateAsync("tasks");
        var quiet = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Critical" };
        Auth = new AuthService(AuthDatabase.ConnectionString(), AuthService.NewKeyPath(), quiet).Start();
        Tasks = new TasksService(TasksDatabase.ConnectionString(), Auth.BaseAddress, quiet).Start();
        Gateway = new GatewayHost(Auth.BaseAddress, Tasks.BaseAddress);
        Gateway.StartServer();
        AuthClient = Auth.CreateHttpClient();
        TasksClient = Tasks.CreateHttpClient();

        // Revoke first, so the events have long arrived at Tasks when the cases run.
        var revokedAt = DateTime.UtcNow;
        _tokens[Credential.Deleted] = await DeletedUserTokenAsync();
        _tokens[Credential.Stale] = await StaleTokenAsync();

        MainUser = AuthApi.NewUsername("fuzzmain");
        (_, MainToken) = await RegisterAndLoginAsync(MainUser, MainPassword);
        _tokens[Credential.Valid] = MainToken;
        MainTask = await TasksClient.CreateTaskAsync(MainToken, new { title = "Fuzz target", description = "kept", dueDate = "2031-01-31" });
        var (_, otherToken) = await RegisterAndLoginAsync(AuthApi.NewUsername("fuzzother"), Generators.VictimPassword);
        OtherTask = await TasksClient.CreateTaskAsync(otherToken, new { title = "Not yours" });
        LongUser = AuthApi.NewUsername("fuzzlong");
        await RegisterAndLoginAsync(LongUser, Generators.LongPassword);
        ForgeTokens();

        _snapshotSql = await SnapshotSqlAsync();
        foreach (var channel in Enum.GetValues<Channel>())
        {
            var port = channel == Channel.Direct ? Auth.Port : Gateway.Port;
            var request = Encoding.ASCII.GetBytes($"GET /api/auth/.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
            var (response, noAnswer) = await RawHttpClient.SendAsync(port, request, isHead: false, halfClose: false, Timeout);
            Discovery[channel] = response?.Status == 200 ? response.BodyText : throw new InvalidOperationException($"discovery via {channel}: {response?.Status} {noAnswer}");
        }

        var settle = TimeSpan.FromSeconds(3) - (DateTime.UtcNow - revokedAt);
        if (settle > TimeSpan.Zero)
        {
            await Task.Delay(settle);
        }
    }

    /// <summary>Time spent on the wire and on database snapshots (printed with each run).</summary>
    public TimeSpan SendTime { get; set; }

    public TimeSpan SnapshotTime { get; set; }

    public int PortOf(Service service, Channel channel) =>
        channel == Channel.Gateway ? Gateway.Port : service == Service.Auth ? Auth.Port : Tasks.Port;

    /// <summary>Sends one case and reports whether any of users, tasks or outbox_messages changed around it.</summary>
    public async Task<Outcome> ExecuteAsync(FuzzCase c, Channel channel)
    {
        if (_taskMayBeGone && await TasksDatabase.CountAsync($"tasks WHERE id = '{MainTask}'") == 0)
        {
            MainTask = await TasksClient.CreateTaskAsync(MainToken, new { title = "Fuzz target", description = "kept", dueDate = "2031-01-31" });
            _baseline = null;
        }

        _taskMayBeGone = false;
        var credential = c.Credential;
        var validToken = MainToken;
        if (MayDeleteAccount(c))
        {
            // The main user must survive the run: whatever could delete an account carries a throwaway user's token.
            (_, validToken) = await RegisterAndLoginAsync(AuthApi.NewUsername("fuzzvictim"), Generators.VictimPassword);
            _baseline = null;
        }

        var token = credential switch
        {
            Credential.None or Credential.Raw => null,
            Credential.Valid or Credential.Victim => validToken,
            _ => _tokens[credential],
        };
        var port = PortOf(c.Route.Service, channel);
        var resolution = new Resolution($"127.0.0.1:{port}", validToken, MainTask.ToString(), OtherTask.ToString(), MainUser, LongUser);
        var authorization = credential switch
        {
            Credential.None => null,
            Credential.Raw => c.RawAuthorization!.Replace("{token}", validToken, StringComparison.Ordinal),
            _ => $"Bearer {token}",
        };

        var snapshotStarted = Stopwatch.GetTimestamp();
        _baseline ??= await SnapshotAsync();
        SnapshotTime += Stopwatch.GetElapsedTime(snapshotStarted);
        var request = RequestBytes.Render(c, resolution, authorization);
        // The report shows what kind of token went, not the token itself.
        var shownToken = $"<{credential} token>";
        var shown = RequestBytes.Render(c, resolution with { Token = shownToken }, authorization?.Replace(token ?? validToken, shownToken, StringComparison.Ordinal));
        var sendStarted = Stopwatch.GetTimestamp();
        var halfClose = c.Body is not null && c.Framing is Framing.LongLength or Framing.BadChunked;
        var (response, noAnswer) = await RawHttpClient.SendAsync(port, request, c.IsHead, halfClose, Timeout);

        SendTime += Stopwatch.GetElapsedTime(sendStarted);
        snapshotStarted = Stopwatch.GetTimestamp();
        var after = await SnapshotAsync();
        SnapshotTime += Stopwatch.GetElapsedTime(snapshotStarted);
        string? change = null;
        if (after != _baseline)
        {
            change = Diff(_baseline, after);
            _taskMayBeGone = true;
        }

        if (response?.Status is >= 200 and < 300 && c.Route.Service == Service.Auth && credential is not (Credential.Valid or Credential.Victim)
            && string.Equals(c.Method, "DELETE", StringComparison.OrdinalIgnoreCase))
        {
            // A revoked token deleted its account: the user.deleted purge runs on Tasks after the answer. Let it
            // finish here, or its rows would be blamed on a later case.
            after = await SettleAsync(after);
        }

        _baseline = after;
        return new Outcome(request, shown, response, noAnswer, change, halfClose);
    }

    /// <summary>A DELETE that could reach /api/auth/me by any spelling (odd case, dot segments, the gateway).</summary>
    private static bool MayDeleteAccount(FuzzCase c) =>
        string.Equals(c.Method, "DELETE", StringComparison.OrdinalIgnoreCase)
        && (c.Route.Service == Service.Auth || c.Target.Contains("auth", StringComparison.OrdinalIgnoreCase) || c.Target.Contains('%', StringComparison.Ordinal))
        && (c.Credential is Credential.Valid or Credential.Victim or Credential.Raw || c.Headers.Any(h => h.Name == "Authorization"));

    /// <summary>True while the main user's token still works (a run that lost it would prove nothing).</summary>
    public async Task<bool> MainUserAliveAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me").WithBearer(MainToken);
        using var response = await AuthClient.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    }

    private async Task<(Guid UserId, string Token)> RegisterAndLoginAsync(string username, string password)
    {
        using var registered = await AuthClient.RegisterAsync(username, password);
        if (registered.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"register {username}: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
        }

        using var login = await AuthClient.LoginAsync(username, password);
        var body = await login.JsonAsync();
        return (body.GetProperty("userId").GetGuid(), body.GetProperty("token").GetString()!);
    }

    private async Task<string> DeletedUserTokenAsync()
    {
        var (_, token) = await RegisterAndLoginAsync(AuthApi.NewUsername("fuzzdeleted"), Generators.VictimPassword);
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/auth/me").WithBearer(token);
        using var deleted = await AuthClient.SendAsync(request);
        return deleted.StatusCode == HttpStatusCode.NoContent ? token : throw new InvalidOperationException($"delete: {(int)deleted.StatusCode}");
    }

    private async Task<string> StaleTokenAsync()
    {
        var (_, token) = await RegisterAndLoginAsync(AuthApi.NewUsername("fuzzstale"), Generators.VictimPassword);
        // Token times are whole seconds: change the password in a later second than the token was issued in.
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/auth/me/password").WithBearer(token);
        request.Content = JsonContent.Create(new { currentPassword = Generators.VictimPassword, newPassword = "Changed-Passw0rd-42!" });
        using var changed = await AuthClient.SendAsync(request);
        return changed.StatusCode == HttpStatusCode.NoContent ? token : throw new InvalidOperationException($"password change: {(int)changed.StatusCode}");
    }

    /// <summary>Tokens signed with the real key (or forged) that must all be refused.</summary>
    private void ForgeTokens()
    {
        var real = new JsonWebToken(MainToken);
        var issuer = real.Issuer;
        var audience = real.Audiences.First();
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Auth.SigningKeyPath));
        var key = new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = real.Kid };
        var foreign = new RsaSecurityKey(RSA.Create(2048)) { KeyId = real.Kid };
        var now = DateTime.UtcNow;
        var sub = real.Subject;

        string Sign(SecurityKey signingKey, IDictionary<string, object> claims, string? iss = null, string? aud = null, DateTime? issued = null, DateTime? expires = null, DateTime? notBefore = null) =>
            new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = iss ?? issuer,
                Audience = aud ?? audience,
                IssuedAt = issued ?? now,
                NotBefore = notBefore ?? issued ?? now,
                Expires = expires ?? now.AddHours(1),
                Claims = claims,
                SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256),
            });

        Dictionary<string, object> Claims(object? subject) => subject is null
            ? new() { ["name"] = MainUser, ["jti"] = "fuzz" }
            : new() { ["sub"] = subject, ["name"] = MainUser, ["jti"] = "fuzz" };

        _tokens[Credential.NoSub] = Sign(key, Claims(null));
        _tokens[Credential.NonGuidSub] = Sign(key, Claims("not-a-guid"));
        _tokens[Credential.NumericSub] = Sign(key, Claims(12345));
        _tokens[Credential.EmptySub] = Sign(key, Claims(""));
        _tokens[Credential.Expired] = Sign(key, Claims(sub), issued: now.AddHours(-2), expires: now.AddMinutes(-10));
        _tokens[Credential.NotYetValid] = Sign(key, Claims(sub), notBefore: now.AddHours(1), expires: now.AddHours(2));
        _tokens[Credential.WrongAudience] = Sign(key, Claims(sub), aud: "someone-else");
        _tokens[Credential.WrongIssuer] = Sign(key, Claims(sub), iss: "https://evil.example");
        _tokens[Credential.ForeignKey] = Sign(foreign, Claims(sub));

        static string B64(string json) => Base64UrlEncoder.Encode(json);
        var payload = $$"""{"sub":"{{sub}}","name":"{{MainUser}}","iss":"{{issuer}}","aud":"{{audience}}","iat":{{Epoch(now)}},"nbf":{{Epoch(now)}},"exp":{{Epoch(now.AddHours(1))}}}""";
        _tokens[Credential.AlgNone] = $$"""{{B64($$"""{"alg":"none","typ":"JWT","kid":"{{real.Kid}}"}""")}}.{{B64(payload)}}.""";
        var parts = MainToken.Split('.');
        var tampered = B64(payload.Replace(sub, OtherOwner(), StringComparison.Ordinal));
        _tokens[Credential.Tampered] = $"{parts[0]}.{tampered}.{parts[2]}";
    }

    private static string OtherOwner() => "00000000-0000-7000-8000-000000000001";

    private static long Epoch(DateTime time) => new DateTimeOffset(time).ToUnixTimeSeconds();

    /// <summary>Row count and a checksum of the rows of users, tasks and both outboxes (without the relay's bookkeeping).</summary>
    private async Task<string> SnapshotSqlAsync()
    {
        var parts = new List<string>();
        foreach (var (db, table) in new[] { (AuthDatabase, "users"), (AuthDatabase, "outbox_messages"), (TasksDatabase, "tasks"), (TasksDatabase, "outbox_messages") })
        {
            var columns = await db.QueryAsync(
                "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = @s AND table_name = @t ORDER BY ordinal_position",
                ("@s", db.Name), ("@t", table));
            var names = columns.Select(r => (string)r["c"]!).Where(n => !VolatileColumns.Contains(n)).ToList();
            if (names.Count == 0)
            {
                throw new InvalidOperationException($"{db.Name}.{table} has no columns");
            }

            var row = string.Join(", ", names.Select(n => $"COALESCE(`{n}`, '<null>')"));
            parts.Add($"SELECT '{db.Name[..4]}.{table}' AS t, COUNT(*) AS n, COALESCE(SUM(CRC32(CONCAT_WS('|', {row}))), 0) AS h FROM `{db.Name}`.`{table}`");
        }

        return string.Join(" UNION ALL ", parts);
    }

    private async Task<string> SnapshotAsync()
    {
        // One connection for the whole run: a snapshot is taken around every case.
        if (_connection is null)
        {
            _connection = new MySqlConnection(AuthDatabase.ConnectionString());
            await _connection.OpenAsync();
        }

        await using var command = new MySqlCommand(_snapshotSql, _connection);
        await using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync())
        {
            text.Append(CultureInfo.InvariantCulture, $"{reader.GetString(0)}={reader.GetInt64(1)}/{reader.GetValue(2)};");
        }

        return text.ToString();
    }

    private async Task<string> SettleAsync(string current)
    {
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            var next = await SnapshotAsync();
            if (next == current && i >= 3)
            {
                return next;
            }

            current = next;
        }

        return current;
    }

    private static string Diff(string before, string after)
    {
        var a = before.Split(';', StringSplitOptions.RemoveEmptyEntries);
        var b = after.Split(';', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(", ", a.Zip(b).Where(p => p.First != p.Second).Select(p =>
        {
            var table = p.First.Split('=')[0];
            var rowsBefore = p.First.Split('=')[1].Split('/')[0];
            var rowsAfter = p.Second.Split('=')[1].Split('/')[0];
            return rowsBefore == rowsAfter ? $"{table} rows modified" : $"{table} rows {rowsBefore}→{rowsAfter}";
        }));
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        AuthClient?.Dispose();
        TasksClient?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Tasks is not null)
        {
            await Tasks.DisposeAsync();
        }

        if (Auth is not null)
        {
            await Auth.DisposeAsync();
        }

        if (TasksDatabase is not null)
        {
            await TasksDatabase.DisposeAsync();
        }

        if (AuthDatabase is not null)
        {
            await AuthDatabase.DisposeAsync();
        }
    }
}
