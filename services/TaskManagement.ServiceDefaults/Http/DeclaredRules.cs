using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace TaskManagement.ServiceDefaults.Http;

/// <summary>
/// The validation attributes declared on a request member, applied to a value the endpoint read by hand (a JSON
/// merge patch, a second password field): the same rules and messages as the built-in validation
/// (<c>AddValidation()</c>), which, like this, stops at a failed <see cref="RequiredAttribute"/>.
/// </summary>
public static class DeclaredRules
{
    private static readonly ConcurrentDictionary<(Type, string), ValidationAttribute[]> Cache = new();

    /// <summary>
    /// Adds under <paramref name="field"/> every message of <typeparamref name="TRequest"/>.<paramref name="property"/>'s
    /// rules that <paramref name="value"/> fails; true when it fails none.
    /// </summary>
    public static bool Check<TRequest>(string property, object? value, string field, ValidationErrors errors)
    {
        var rules = Cache.GetOrAdd((typeof(TRequest), property), static key =>
            key.Item1.GetProperty(key.Item2)?.GetCustomAttributes<ValidationAttribute>()
                .OrderBy(r => r is RequiredAttribute ? 0 : 1).ToArray() // Required first, as the built-in validation
            ?? throw new InvalidOperationException($"{key.Item1.Name} has no property {key.Item2}."));
        var valid = true;
        var context = new ValidationContext(value ?? new object()) { MemberName = property, DisplayName = field };
        foreach (var rule in rules)
        {
            if (rule.GetValidationResult(value, context) is { ErrorMessage: { } message })
            {
                errors.Add(field, message);
                valid = false;
                if (rule is RequiredAttribute)
                {
                    break;
                }
            }
        }

        return valid;
    }
}
