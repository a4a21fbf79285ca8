using CostOps.Core.Ingestion;

namespace CostOps.Core.Tests.Ingestion;

/// <summary>The name alphabet, decided for ASCII names without the regex and for the rest by it: both must agree with the rule.</summary>
public sealed class DimensionNamesTests
{
    [Theory]
    [InlineData("acme", true, true)]
    [InlineData("acme-prod_1.eu:west@2", true, true)]
    [InlineData("9lives", true, true)]
    [InlineData("Zürich", true, true)]
    [InlineData("東京-prod", true, true)]
    [InlineData("/chat", false, true)]
    [InlineData("api/v1", false, true)]
    [InlineData("", false, false)]
    [InlineData("-acme", false, false)]
    [InlineData(".acme", false, false)]
    [InlineData("acme corp", false, false)]
    [InlineData("acme\n", false, false)]
    [InlineData("acme\t", false, false)]
    [InlineData("acme'", false, false)]
    [InlineData("naïve'", false, false)]
    [InlineData("Zürich prod", false, false)]
    [InlineData("acme\u00a0", false, false)]
    [InlineData("\u00e9t\u00e9", true, true)]
    public void A_name_is_letters_digits_and_the_allowed_marks(string name, bool validName, bool validFeature)
    {
        Assert.Equal(validName, DimensionNames.IsValidTenant(name));
        Assert.Equal(validName, DimensionNames.IsValidProject(name));
        Assert.Equal(validFeature, DimensionNames.IsValidFeature(name));
    }
}
