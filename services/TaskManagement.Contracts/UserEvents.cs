namespace TaskManagement.Contracts;

/// <summary><c>data</c> of <see cref="EventTypes.UserRegistered"/>; subject = user id.</summary>
public sealed record UserRegistered(Guid UserId, string Username, DateTimeOffset RegisteredAt);

/// <summary><c>data</c> of <see cref="EventTypes.UserDeleted"/>; subject = user id.</summary>
public sealed record UserDeleted(Guid UserId, string Username, DateTimeOffset DeletedAt);
