namespace CostOps.Infrastructure.ClickHouse;

/// <summary>
/// ClickHouse did not answer (connection refused or reset, name not resolved, timed out): nothing was refused, the
/// same request may well succeed later. Every HTTP route answers it with 503 and Retry-After
/// (<see cref="Hosting.ApiRoute.RunAsync"/>); a statement ClickHouse did refuse is a <see cref="ClickHouseQueryException"/>.
/// </summary>
public sealed class ClickHouseUnavailableException(string message, Exception inner) : Exception(message, inner);
