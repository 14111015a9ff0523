namespace TaskManagement.Fuzz.Tests;

/// <summary>Values of the running stack that placeholders stand for.</summary>
public sealed record Resolution(string Host, string Token, string Task, string Other, string User, string LongUser);
