using System.Text.Json.Serialization;

namespace TaskManagement.Auth.Features;

/// <summary>The discovery fields validators use (OpenID Connect Discovery 1.0 names).</summary>
public sealed record OpenIdConfiguration(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> SigningAlgorithms)
{
    [JsonPropertyName("response_types_supported")]
    public IReadOnlyList<string> ResponseTypes { get; } = ["token"];

    [JsonPropertyName("subject_types_supported")]
    public IReadOnlyList<string> SubjectTypes { get; } = ["public"];

    [JsonPropertyName("claims_supported")]
    public IReadOnlyList<string> Claims { get; } = ["sub", "name", "iss", "aud", "iat", "nbf", "exp", "jti"];
}
