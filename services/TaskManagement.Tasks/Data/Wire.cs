using System.Collections.Frozen;
using System.Text.Json;

namespace TaskManagement.Tasks.Data;

/// <summary>
/// The one spelling of the enums outside the code: snake_case, lower-case (<c>in_progress</c>). The API's JSON
/// converter (ServiceDefaults, <c>JsonStringEnumConverter</c> with the same policy), the events, the database
/// column and the validation messages all derive from <see cref="Policy"/>.
/// </summary>
public static class Wire
{
    public static readonly JsonNamingPolicy Policy = JsonNamingPolicy.SnakeCaseLower;

    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Names<TEnum>.ByValue[value];

    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return text is not null && Names<TEnum>.ByName.TryGetValue(text, out value);
    }

    /// <summary>The stored spelling back; an unknown one (never written) reads as the default value.</summary>
    public static TEnum ParseOrDefault<TEnum>(string text)
        where TEnum : struct, Enum => TryParse(text, out TEnum value) ? value : default;

    /// <summary>Every name in declaration order: <c>low, medium or high</c>.</summary>
    public static string Choices<TEnum>()
        where TEnum : struct, Enum => Names<TEnum>.Choices;

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ByValue =
            Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => Policy.ConvertName(v.ToString()));

        public static readonly FrozenDictionary<string, TEnum> ByName =
            ByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

        public static readonly string Choices = ChoicesOf(Enum.GetValues<TEnum>().Select(v => ByValue[v]).ToArray());

        private static string ChoicesOf(string[] names) =>
            names.Length == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }
}
