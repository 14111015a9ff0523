using System.Text;
using System.Text.Json;

namespace TaskManagement.Eventing.Dapr;

/// <summary>Reads what a raw-payload Dapr subscription delivers: Dapr's wrapper around the original bytes.</summary>
internal static class DeadLetterBody
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The original message: <c>data_base64</c> of Dapr's raw-payload envelope, else the body itself.</summary>
    public static byte[] Unwrap(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("data_base64", out var data)
                && data.ValueKind == JsonValueKind.String)
            {
                return data.GetBytesFromBase64();
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            // Not Dapr's envelope: keep the body as it came.
        }

        return body;
    }

    /// <summary>The CloudEvent id, when the original is a CloudEvent.</summary>
    public static string? EventId(byte[] original)
    {
        try
        {
            using var document = JsonDocument.Parse(original);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>UTF-8 text as is; anything else base64, prefixed so nobody mistakes it for text.</summary>
    public static string AsText(byte[] original)
    {
        try
        {
            return StrictUtf8.GetString(original);
        }
        catch (DecoderFallbackException)
        {
            return "base64:" + Convert.ToBase64String(original);
        }
    }
}
