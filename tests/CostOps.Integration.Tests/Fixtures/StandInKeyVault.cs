using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;

namespace CostOps.Integration.Tests.Fixtures;

/// <summary>
/// Key Vault is Azure's, not our storage, and cannot run here: this stands in for one secret of one vault, the way the
/// Azure SDK is meant to be replaced in tests (a <see cref="SecretClient"/> subclass answering with
/// <see cref="SecretModelFactory"/> models). It keeps versions in order, counts reads by version, and can be made
/// unreachable.
/// </summary>
public sealed class StandInKeyVault : SecretClient
{
    public static readonly Uri Vault = new("https://costops-test.vault.azure.net/");

    private readonly List<KeyVaultSecret> _versions = [];
    private readonly Dictionary<string, int> _reads = [];

    public StandInKeyVault(string name = "keyring-wrapping-key") => Name = name;

    public string Name { get; }

    /// <summary>The setting's value: the secret without a version.</summary>
    public Uri SecretUri => new(Vault, $"secrets/{Name}");

    /// <summary>When set, every read throws it (the vault unreachable, or access denied).</summary>
    public Exception? Failure { get; set; }

    /// <summary>Adds a version (the newest from now on) holding <paramref name="value"/>, or 32 random bytes; returns its version.</summary>
    public string AddVersion(string? value = null)
    {
        var version = Guid.NewGuid().ToString("N");
        var properties = SecretModelFactory.SecretProperties(id: new Uri(Vault, $"secrets/{Name}/{version}"), vaultUri: Vault, name: Name, version: version);
        _versions.Add(SecretModelFactory.KeyVaultSecret(properties, value ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        return version;
    }

    /// <summary>Reads of one version (null: of the newest, unnamed).</summary>
    public int Reads(string? version) => _reads.GetValueOrDefault(version ?? "");

    public override Response<KeyVaultSecret> GetSecret(string name, string? version = null, CancellationToken cancellationToken = default)
    {
        lock (_versions)
        {
            _reads[version ?? ""] = Reads(version) + 1;
            if (Failure is not null) throw Failure;
            var found = name != Name ? null : version is null ? _versions.LastOrDefault() : _versions.FirstOrDefault(v => v.Properties.Version == version);
            if (found is null) throw new RequestFailedException(404, $"Secret {name}/{version} not found.", "SecretNotFound", null);
            return Response.FromValue(found, new Ok());
        }
    }

    public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(GetSecret(name, version, cancellationToken));

    /// <summary>The HTTP response under a model: 200, no headers, no body.</summary>
    private sealed class Ok : Response
    {
        public override int Status => 200;
        public override string ReasonPhrase => "OK";
        public override Stream? ContentStream { get; set; }
        public override string ClientRequestId { get; set; } = "";
        public override void Dispose() { }
        protected override bool ContainsHeader(string name) => false;
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];
        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) { value = null; return false; }
        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values) { values = null; return false; }
    }
}
