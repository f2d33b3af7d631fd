-- Reserved for the issue that owns this migration; filled in before it lands.
SELECT 1;
