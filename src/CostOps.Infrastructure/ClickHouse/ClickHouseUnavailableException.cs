namespace CostOps.Infrastructure.ClickHouse;

/// <summary>
/// ClickHouse did not answer (connection refused or reset, name not resolved, timed out): nothing was refused, the
/// same request may well succeed later. Every HTTP route answers it with 503 and Retry-After
/// (<see cref="Hosting.ApiRouteRunner.RunAsync"/>); a statement ClickHouse did refuse is a <see cref="ClickHouseQueryException"/>.
/// </summary>
public class ClickHouseUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The server transport's circuit is open (<c>Resilience:ClickHouseCircuit</c>): ClickHouse failed repeatedly a moment
/// ago, so this request was not sent. Not retried in process; answered like any unavailability.
/// </summary>
public sealed class ClickHouseCircuitOpenException(string message, Exception inner) : ClickHouseUnavailableException(message, inner);
