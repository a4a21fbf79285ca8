using CostOps.Cli.Commands;

namespace CostOps.Integration.Tests.Cli;

/// <summary>How <c>costops spend</c> (and the demo's tables) print money: never a spend shown as nothing.</summary>
public sealed class SpendMoneyTests
{
    [Theory]
    [InlineData("0.0037", "$0.0037")] // was "Total: $0.00" over two priced calls
    [InlineData("1234.56789", "$1,234.5679")]
    [InlineData("0.00002", "$0.00002")] // below the fourth place: exact, not $0.0000
    [InlineData("0", "$0.0000")]
    public void Money_is_shown_to_four_places_and_exactly_when_that_would_hide_it(string usd, string shown) =>
        Assert.Equal(shown, SpendCommand.Money(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture)));
}
