// The browser entry a host app bundles: every tb-* element from the installed package.
import '@taskbase/widgets/define';
