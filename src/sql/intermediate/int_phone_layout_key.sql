-- cra_phone_layout_key(raw): the string libphonenumber-js reads from a raw phone value when only its layout differs
-- from it: for a value of digits, spaces, '(', ')', '-' and '.', at most a '+' in front and at least three digits,
-- its digits after that '+'; any other value as it is. src/stages/identity/phones.ts's header says why it is safe;
-- test/stages/identity-phones.test.ts holds this macro to the rule written out in JS (layoutKey there). Computed
-- here, so only the distinct keys cross into JavaScript to be parsed, not every distinct raw value.
CREATE OR REPLACE TEMP MACRO cra_phone_layout_key(raw) AS
    CASE WHEN regexp_matches(raw, '^\+?[0-9 ().-]*$') AND length(regexp_replace(raw, '[^0-9]', '', 'g')) >= 3
         THEN (CASE WHEN starts_with(raw, '+') THEN '+' ELSE '' END) || regexp_replace(raw, '[^0-9]', '', 'g')
         ELSE raw END;
