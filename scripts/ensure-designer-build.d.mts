export declare function designerIsStale(): boolean;
export declare function ensureDesignerBuilt(): boolean;
