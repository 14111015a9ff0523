namespace TaskManagement.Fuzz.Tests;

/// <summary>One route of a service as the README documents it; <c>{id}</c> stands for a task id.</summary>
public sealed record Route(Service Service, string Method, string Template, bool Protected, BodyKind Body)
{
    public string Label => $"{Method} {Template}";

    public bool HasId => Template.Contains("{id}", StringComparison.Ordinal);
}
