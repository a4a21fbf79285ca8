namespace CostOps.Infrastructure.Secrets;

/// <summary>Where the Data Protection key ring that encrypts stored credentials is kept (<c>Security:KeyRingStore</c>).</summary>
public enum KeyRingStore
{
    /// <summary>
    /// Beside the data it protects: in Tables when the Tables account is a real storage account (every Azure plan, and
    /// the CLI pointed at deployed tables, so both read one ring), the local key folder when it is the local emulator.
    /// </summary>
    Auto,

    /// <summary><c>&lt;state folder&gt;/data-protection-keys</c>, shared by the processes on that state folder.</summary>
    File,

    /// <summary>The <c>dataprotectionkeys</c> table of the configured account (<see cref="TableXmlRepository"/>).</summary>
    Tables,
}
