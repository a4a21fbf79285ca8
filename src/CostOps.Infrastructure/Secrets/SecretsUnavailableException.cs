namespace CostOps.Infrastructure.Secrets;

/// <summary>
/// A credential could not be encrypted for storage: the Data Protection key ring could not be read or a key made (Key
/// Vault unreachable or access denied for its wrapping secret, or no wrapping secret configured where one is required).
/// Nothing was stored; the routes answer 503 <c>secrets-unavailable</c>.
/// </summary>
public sealed class SecretsUnavailableException(string message, Exception inner) : Exception(message, inner);
