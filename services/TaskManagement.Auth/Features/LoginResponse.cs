namespace TaskManagement.Auth.Features;

/// <summary><c>userId</c> and <c>username</c> are what the original API's clients read besides the token.</summary>
public sealed record LoginResponse(string Token, string TokenType, int ExpiresIn, Guid UserId, string Username);
