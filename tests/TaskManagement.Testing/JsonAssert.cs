using System.Text.Json;
using Xunit;

namespace TaskManagement.Testing;

/// <summary>Assertions on JSON response bodies.</summary>
public static class JsonAssert
{
    /// <summary>
    /// Each named property of <paramref name="body"/> is a string (or null) equal to the expected value; a
    /// missing property throws. All are compared at once, so a failure shows every field side by side.
    /// </summary>
    public static void Strings(JsonElement body, params (string Name, string? Value)[] expected) =>
        Assert.Equal(expected, expected.Select(e => (e.Name, body.GetProperty(e.Name).GetString())));
}
