"""Twitter's weighted character count (twitter-text v3 rules) and the domains it recognises."""
