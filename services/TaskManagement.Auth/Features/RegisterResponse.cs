namespace TaskManagement.Auth.Features;

/// <summary><c>message</c> and <c>userId</c> are what the original API's clients read.</summary>
public sealed record RegisterResponse(string Message, Guid UserId, string Username);
